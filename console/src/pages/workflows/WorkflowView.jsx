import { useState } from 'preact/hooks';
import { api, enc, query } from '../../api.js';
import { canWrite } from '../../identity.js';
import { href, navigate } from '../../router.js';
import { formatTime, useLoad } from '../../hooks.js';
import { Json, Loaded, PageTitle, ProblemView } from '../../components/common.jsx';
import { Dag } from '../../components/Dag.jsx';
import { DataTable } from '../../components/DataTable.jsx';
import { definitionOf } from '../../definition.js';
import { VersionDiff } from './VersionDiff.jsx';
import { workflowPath } from './WorkflowList.jsx';

const TABS = [
  ['graph', 'Graph'],
  ['definition', 'Definition'],
  ['history', 'Versions'],
  ['diff', 'Compare versions'],
];

export function WorkflowView({ name, who, params }) {
  const version = params.get('version') || undefined;
  const tab = params.get('tab') || 'graph';
  const state = useLoad(() => api(workflowPath(name, version)), [name, version]);
  const go = (changes) => {
    const next = { version, tab, ...changes };
    navigate(`${href('workflows', name)}${query({ version: next.version, tab: next.tab === 'graph' ? '' : next.tab })}`);
  };
  return (
    <Loaded state={state} what="workflow">
      {(w) => (
        <section>
          <div class="page-head">
            <PageTitle>
              {w.name} <span class="muted">v{w.version}</span>
            </PageTitle>
            <div class="actions">
              <a class="button" href={`#/executions${query({ workflow: w.name })}`}>
                Executions
              </a>
              {canWrite(who) && (
                <>
                  <a class="button primary" href={href('workflows', w.name, 'run')}>
                    Start execution
                  </a>
                  <a class="button" href={href('workflows', w.name, 'edit')}>
                    Edit
                  </a>
                  <DeleteWorkflow name={w.name} />
                </>
              )}
            </div>
          </div>
          {w.description && <p>{w.description}</p>}
          <p class="meta">
            Version {w.version} of {w.latestVersion} · created {formatTime(w.createdAt)} · this version{' '}
            {formatTime(w.versionCreatedAt)} · events: {w.events}
          </p>
          <div role="tablist" aria-label="Workflow views" class="tabs">
            {TABS.map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls="workflow-panel"
                tabIndex={tab === id ? 0 : -1}
                onClick={() => go({ tab: id })}
                onKeyDown={(event) => moveBetweenTabs(event, tab, (next) => go({ tab: next }))}
              >
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="workflow-panel" aria-labelledby={`tab-${tab}`}>
            {tab === 'graph' && <Dag definition={w} />}
            {tab === 'definition' && <Json value={definitionOf(w)} label="Definition" />}
            {tab === 'history' && <History name={w.name} latest={w.latestVersion} current={w.version} go={go} />}
            {tab === 'diff' && <VersionDiff name={w.name} latest={w.latestVersion} />}
          </div>
        </section>
      )}
    </Loaded>
  );
}

/**
 * The keys of the WAI-ARIA tabs pattern: Left and Right move to the previous and next tab (round), Home and End to the
 * first and last; the tab moved to is shown and takes the focus. Tab itself leaves the tab list (one tab stop).
 */
function moveBetweenTabs(event, current, show) {
  const ids = TABS.map(([id]) => id);
  const at = ids.indexOf(current);
  const next = {
    ArrowRight: ids[(at + 1) % ids.length],
    ArrowLeft: ids[(at - 1 + ids.length) % ids.length],
    Home: ids[0],
    End: ids[ids.length - 1],
  }[event.key];
  if (!next) return;
  event.preventDefault();
  show(next);
  // After the page has re-rendered for the new address.
  requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
}

/** Every version, newest first: the API has no list of versions, so each is read by number (at most the last 50). */
function History({ name, latest, current, go }) {
  const state = useLoad(async () => {
    const numbers = [];
    for (let v = latest; v >= Math.max(1, latest - 49); v--) numbers.push(v);
    return Promise.all(numbers.map((v) => api(`/workflows/${enc(name)}?version=${v}`)));
  }, [name, latest]);
  return (
    <Loaded state={state} what="version history">
      {(versions) => (
        <DataTable
          label="Versions"
          rows={versions}
          rowProps={(v) => ({ key: v.version, 'data-version': v.version })}
          columns={[
            {
              title: 'Version',
              cell: (v) => (
                <>
                  <button type="button" class="link" onClick={() => go({ version: v.version, tab: 'graph' })}>
                    v{v.version}
                  </button>
                  {v.version === current ? ' (shown)' : ''}
                </>
              ),
            },
            { title: 'Created', cell: (v) => formatTime(v.versionCreatedAt) },
            { title: 'Nodes', cell: (v) => v.nodes.length },
            { title: 'Edges', cell: (v) => v.edges.length },
          ]}
        />
      )}
    </Loaded>
  );
}

function DeleteWorkflow({ name }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState(null);
  if (!confirming) {
    return (
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label="Confirm deletion">
      Delete {name}?{' '}
      <button
        type="button"
        class="danger"
        onClick={async () => {
          try {
            await api(`/workflows/${enc(name)}`, { method: 'DELETE' });
            navigate('#/workflows');
          } catch (e) {
            setError(e);
          }
        }}
      >
        Yes, delete
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      <ProblemView error={error} title="Cannot delete" />
    </span>
  );
}
