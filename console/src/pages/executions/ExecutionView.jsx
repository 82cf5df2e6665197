import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { followEvents } from '../../sse.js';
import { canWrite } from '../../identity.js';
import { href } from '../../router.js';
import { formatDuration, formatTime } from '../../hooks.js';
import { Json, NotFound, PageTitle, ProblemView, StatusBadge } from '../../components/common.jsx';
import { Dag } from '../../components/Dag.jsx';
import { DataTable } from '../../components/DataTable.jsx';
import { Timeline } from '../../components/Timeline.jsx';
import { ExecutionControls } from './ExecutionControls.jsx';

const ENDED = ['completed', 'failed', 'cancelled'];

/**
 * One execution, live: read once, then its event stream (docs/api.md §4.4) updates the steps until `end`; the DAG
 * colours each node by its step's status.
 */
export function ExecutionView({ id, who }) {
  const [execution, setExecution] = useState(null);
  const [definition, setDefinition] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    let current = true;
    (async () => {
      try {
        const first = await api(`/executions/${enc(id)}`, { signal: abort.signal });
        if (!current) return;
        setExecution(first);
        api(`/workflows/${enc(first.workflow)}?version=${first.version}`, { signal: abort.signal }).then(
          (d) => current && setDefinition(d),
          () => current && setDefinition({ nodes: first.steps.map((s) => ({ id: s.node, type: '?' })), edges: [] }),
        );
        if (ENDED.includes(first.status)) {
          setLive('ended');
          return;
        }
        setLive('following');
        await followEvents(`/executions/${enc(id)}/events`, {
          signal: abort.signal,
          onEvent: ({ event, data }) => {
            if (!current) return;
            if (event === 'step') setExecution((x) => withStep(x, data));
            if (event === 'end') setExecution((x) => ({ ...x, status: data.status, outputs: data.outputs, error: data.error }));
          },
        });
        if (!current) return;
        // After `end` (or a stream that closed), the full record has what the events do not carry (finishedAt).
        setExecution(await api(`/executions/${enc(id)}`));
        setLive('ended');
      } catch (e) {
        if (current && e.name !== 'AbortError') {
          setError(e);
          setLive('lost');
        }
      }
    })();
    return () => {
      current = false;
      abort.abort();
    };
  }, [id, reloads]);

  if (error?.status === 404 && !execution) return <NotFound what="execution" />;
  if (!execution) return error ? <ProblemView error={error} title="Cannot load the execution" /> : <p>Loading…</p>;
  const statuses = Object.fromEntries(execution.steps.map((s) => [s.node, s.status]));
  const ended = ENDED.includes(execution.status);
  return (
    <section>
      <div class="page-head">
        <PageTitle>
          Execution <code>{execution.id.slice(-12)}</code>
        </PageTitle>
        {!ended && canWrite(who) && definition && (
          <ExecutionControls execution={execution} definition={definition} onChanged={setExecution} />
        )}
      </div>
      <p class="meta">
        <span class="execution-status" aria-live="polite" data-status={execution.status}>
          <StatusBadge status={execution.status} />
        </span>{' '}
        <a href={href('workflows', execution.workflow)}>{execution.workflow}</a> v{execution.version} · channel{' '}
        {execution.channel}
        {execution.sessionId && (
          <>
            {' '}· session <a href={href('sessions', execution.sessionId)}>{execution.sessionId}</a>
          </>
        )}{' '}
        · started {formatTime(execution.startedAt || execution.createdAt)}
        {execution.finishedAt && ` · took ${formatDuration(Date.parse(execution.finishedAt) - Date.parse(execution.startedAt || execution.createdAt))}`}
        {' '}·{' '}
        <span class="live" data-live={live}>
          {live === 'following' ? 'following live' : live === 'lost' ? 'live updates stopped' : live}
        </span>
        {live === 'lost' && (
          <button type="button" class="link" onClick={() => setReloads((n) => n + 1)}>
            reconnect
          </button>
        )}
      </p>
      {error && execution && <ProblemView error={error} title="Live updates stopped" />}
      <div class="execution-grid">
        <div>
          <h2>Graph</h2>
          {definition ? <Dag definition={definition} steps={statuses} /> : <p>Loading the graph…</p>}
          <Legend />
        </div>
        <div>
          <h2>Timeline</h2>
          <Timeline steps={execution.steps} />
        </div>
      </div>
      {execution.error && (
        <div class="problem" role="status">
          <strong>Error {execution.error.code}</strong>
          {execution.error.node && ` at node ${execution.error.node}`}: {execution.error.message}
        </div>
      )}
      <div class="execution-grid">
        <div>
          <h2>Inputs</h2>
          <Json value={execution.inputs} label="Inputs" />
        </div>
        <div>
          <h2>Outputs</h2>
          <Json value={execution.outputs} label="Outputs" />
        </div>
      </div>
      <h2>Steps</h2>
      <DataTable
        label="Steps"
        rows={execution.steps}
        rowProps={(s) => ({ key: s.node, 'data-step': s.node, 'data-status': s.status })}
        columns={[
          { title: 'Node', cell: (s) => s.node },
          { title: 'Status', cell: (s) => <StatusBadge status={s.status} /> },
          { title: 'Attempts', cell: (s) => s.attempts },
          { title: 'Started', cell: (s) => formatTime(s.startedAt) },
          {
            title: 'Duration',
            cell: (s) => (s.startedAt && s.finishedAt ? formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : '—'),
          },
          {
            title: 'Output or error',
            cell: (s) =>
              s.error ? (
                <span class="error-text">
                  {s.error.code}: {s.error.message}
                </span>
              ) : (
                <code class="inline-json">{s.output === null || s.output === undefined ? '—' : JSON.stringify(s.output)}</code>
              ),
          },
        ]}
      />
    </section>
  );
}

function withStep(execution, step) {
  const steps = execution.steps.some((s) => s.node === step.node)
    ? execution.steps.map((s) => (s.node === step.node ? step : s))
    : [...execution.steps, step];
  // The stream carries steps only; the execution's own status until `end` follows from them: a parked step means the
  // execution is parked (docs/api.md §5.8), and any other progress means it runs.
  let status = execution.status;
  if (!ENDED.includes(status)) {
    if (steps.some((s) => s.status === 'waiting')) status = 'waiting';
    else if (status === 'pending' || status === 'waiting') status = 'running';
  }
  return { ...execution, status, steps };
}

function Legend() {
  return (
    <ul class="legend" aria-label="Node colours">
      {['pending', 'waiting', 'running', 'completed', 'failed', 'skipped', 'cancelled'].map((s) => (
        <li key={s}>
          <span class={`swatch status-${s}`} aria-hidden="true" /> {s}
        </li>
      ))}
    </ul>
  );
}
