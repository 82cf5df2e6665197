import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { ProblemView } from '../../components/common.jsx';

/** Cancel, and send a signal (names offered from the definition's wait nodes) with an optional JSON payload. */
export function ExecutionControls({ execution, definition, onChanged }) {
  const waits = (definition.nodes || []).filter((n) => n.type === 'wait' && n.config?.signal).map((n) => n.config.signal);
  const [signal, setSignal] = useState(waits[0] || '');
  const [payload, setPayload] = useState('');
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (action) => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () =>
    run(async () => {
      onChanged(await api(`/executions/${enc(execution.id)}/cancel`, { method: 'POST' }));
      setNotice('Cancelled.');
    });
  const send = (event) => {
    event.preventDefault();
    run(async () => {
      let body;
      if (payload.trim()) {
        try {
          body = { payload: JSON.parse(payload) };
        } catch (e) {
          throw Object.assign(new Error(`the payload is not JSON: ${e.message}`), { errors: [] });
        }
      }
      await api(`/executions/${enc(execution.id)}/signals/${enc(signal.trim())}`, { method: 'POST', body });
      setNotice(`Signal '${signal.trim()}' sent.`);
    });
  };

  return (
    <div class="controls">
      <form class="signal-form" onSubmit={send} aria-label="Send a signal">
        <label for="signal-name">Signal</label>
        <input id="signal-name" list="signal-names" required value={signal} onInput={(e) => setSignal(e.currentTarget.value)} />
        <datalist id="signal-names">
          {waits.map((w) => (
            <option key={w} value={w} />
          ))}
        </datalist>
        <label for="signal-payload">Payload (JSON, optional)</label>
        <input id="signal-payload" value={payload} onInput={(e) => setPayload(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !signal.trim()}>
          Send signal
        </button>
      </form>
      <button type="button" class="danger" onClick={cancel} disabled={busy}>
        Cancel execution
      </button>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <ProblemView error={error} title="Refused" />
    </div>
  );
}
