import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { canWrite } from '../../identity.js';
import { href, navigate } from '../../router.js';
import { PageTitle, ProblemView, NotFound } from '../../components/common.jsx';
import { JsonEditor } from '../../components/JsonEditor.jsx';
import { definitionOf, pretty } from '../../definition.js';
import { lineAt } from '../../fieldPaths.js';

const TEMPLATE = pretty({
  name: 'my-workflow',
  description: 'Doubles a number',
  inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  nodes: [{ id: 'double', type: 'transform', config: { expression: "{'result': inputs.n * 2}" } }],
  edges: [],
});

/** Registers a workflow (POST) or a new version of one (PUT) from its JSON definition (docs/api.md §5). */
export function WorkflowEditor({ name, who }) {
  const [text, setText] = useState(name ? '' : TEMPLATE);
  const [loadError, setLoadError] = useState(null);
  const [error, setError] = useState(null);
  const [fieldErrors, setFieldErrors] = useState([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!name) return;
    api(`/workflows/${enc(name)}`).then((w) => setText(pretty(definitionOf(w))), setLoadError);
  }, [name]);

  if (!canWrite(who)) return <ProblemView error={{ message: 'your role may only read workflows' }} title="Read only" />;
  if (loadError?.status === 404) return <NotFound what="workflow" />;

  const save = async (event) => {
    event.preventDefault();
    setError(null);
    setFieldErrors([]);
    let definition;
    try {
      definition = JSON.parse(text);
    } catch (e) {
      // Point at the line the parser stopped on, like a server error on a field.
      const position = Number(/position (\d+)/.exec(e.message)?.[1]);
      setError({ message: `the text is not JSON: ${e.message}${position >= 0 ? ` (line ${lineAt(text, position)})` : ''}` });
      return;
    }
    setBusy(true);
    try {
      const saved = name
        ? await api(`/workflows/${enc(name)}`, { method: 'PUT', body: definition })
        : await api('/workflows', { method: 'POST', body: definition });
      navigate(href('workflows', saved.name));
    } catch (e) {
      setError(e);
      setFieldErrors(e.status === 422 ? e.errors : []);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageTitle>{name ? `Edit ${name}` : 'New workflow'}</PageTitle>
      <p>
        The definition format is in docs/api.md §5. {name ? 'Saving stores a new version.' : ''} Every problem the
        server finds is shown at its line.
      </p>
      <ProblemView error={loadError} title="Cannot load the workflow" />
      <form onSubmit={save}>
        <JsonEditor id="definition" label="Definition (JSON)" value={text} onInput={setText} errors={fieldErrors} />
        {error && fieldErrors.length === 0 && <ProblemView error={error} title="Not saved" />}
        {fieldErrors.length > 0 && (
          <p class="error-text" role="alert">
            Not saved: {error.message}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : name ? 'Save new version' : 'Register workflow'}
          </button>
          <a class="button" href={name ? href('workflows', name) : '#/workflows'}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
