import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { canWrite } from '../../identity.js';
import { href, navigate } from '../../router.js';
import { useLoad } from '../../hooks.js';
import { Loaded, PageTitle, ProblemView } from '../../components/common.jsx';
import { SchemaForm } from '../../components/SchemaForm.jsx';

/** Starts an execution with inputs from a form generated from the workflow's inputSchema, then follows it live. */
export function StartExecution({ name, who }) {
  const state = useLoad(() => api(`/workflows/${enc(name)}`), [name]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!canWrite(who)) return <ProblemView error={{ message: 'your role may not start executions' }} title="Read only" />;
  const start = async (inputs) => {
    setBusy(true);
    setError(null);
    try {
      // Async: the answer comes at once and the live view shows the run from its first step.
      const started = await api(`/workflows/${enc(name)}/executions`, {
        method: 'POST',
        body: { inputs, mode: 'async' },
      });
      navigate(href('executions', started.executionId));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Loaded state={state} what="workflow">
      {(w) => (
        <section>
          <PageTitle>Start {w.name}</PageTitle>
          <p>
            Version {w.version}. {w.inputSchema ? 'The form follows the workflow’s input schema.' : 'This workflow takes any object.'}
          </p>
          {error && error.status !== 400 && <ProblemView error={error} title="Not started" />}
          {error?.status === 400 && (
            <p class="error-text" role="alert">
              Not started: {error.message}
            </p>
          )}
          <SchemaForm
            schema={w.inputSchema}
            errors={error?.status === 400 ? error.errors : []}
            onSubmit={start}
            submitLabel={busy ? 'Starting…' : 'Start'}
            busy={busy}
          />
        </section>
      )}
    </Loaded>
  );
}
