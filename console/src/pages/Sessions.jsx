import { api, enc, query } from '../api.js';
import { href, navigate } from '../router.js';
import { formatTime, useLoad } from '../hooks.js';
import { Json, Loaded, PageTitle, ProblemView, StatusBadge } from '../components/common.jsx';
import { MoreButton, usePages } from '../components/Pager.jsx';
import { DataTable, ExecutionLink } from '../components/DataTable.jsx';

export function SessionList({ params }) {
  const active = params.get('active') !== 'false';
  const pages = usePages((cursor) => api(`/sessions${query({ active, cursor, limit: 50 })}`), String(active));
  return (
    <section>
      <PageTitle>Sessions</PageTitle>
      <div class="filters">
        <label for="session-state">Show</label>
        <select
          id="session-state"
          value={String(active)}
          onChange={(e) => navigate(`#/sessions${query({ active: e.currentTarget.value === 'true' ? '' : 'false' })}`)}
        >
          <option value="true">active sessions</option>
          <option value="false">ended sessions (last 7 days)</option>
        </select>
      </div>
      <ProblemView error={pages.error} title="Cannot list sessions" />
      {!pages.loading && !pages.error && pages.items.length === 0 && (
        <p class="empty" data-empty="sessions">
          No {active ? 'active' : 'ended'} sessions.
        </p>
      )}
      {pages.items.length > 0 && (
        <DataTable
          label="Sessions"
          rows={pages.items}
          rowProps={(s) => ({ key: s.id, 'data-session': s.id })}
          columns={[
            {
              title: 'Session',
              cell: (s) => (s.status === 'active' ? <a href={href('sessions', s.id)}><code>{s.id}</code></a> : <code>{s.id}</code>),
            },
            { title: 'User', cell: (s) => s.userId || '—' },
            { title: 'Channels', cell: (s) => s.channels.join(', ') },
            { title: 'Status', cell: (s) => <StatusBadge status={s.status} /> },
            { title: 'Last activity', cell: (s) => formatTime(s.lastActivity) },
            { title: active ? 'Expires' : 'Ended', cell: (s) => formatTime(active ? s.expiresAt : s.endedAt) },
          ]}
        />
      )}
      <MoreButton pages={pages} />
    </section>
  );
}

/** A session's channels, data and executions. Reading it counts as a use and slides its expiry (docs/api.md §4.5). */
export function SessionView({ id }) {
  const state = useLoad(
    () => Promise.all([api(`/sessions/${enc(id)}`), api(`/sessions/${enc(id)}/executions?limit=100`)]),
    [id],
  );
  return (
    <Loaded state={state} what="session">
      {([session, executions]) => (
        <section>
          <PageTitle>
            Session <code>{session.id}</code>
          </PageTitle>
          <dl class="facts">
            <dt>User</dt>
            <dd>{session.userId || '—'}</dd>
            <dt>Channels</dt>
            <dd>{session.channels.join(', ') || '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(session.createdAt)}</dd>
            <dt>Last activity</dt>
            <dd>{formatTime(session.lastActivity)}</dd>
            <dt>Expires</dt>
            <dd>{formatTime(session.expiresAt)}</dd>
          </dl>
          <h2>Data</h2>
          <Json value={session.data} label="Session data" />
          <h2>Executions</h2>
          {executions.items.length === 0 ? (
            <p class="empty">No execution was started with this session.</p>
          ) : (
            <DataTable
              label="Executions of the session"
              rows={executions.items}
              rowProps={(x) => ({ key: x.id })}
              columns={[
                {
                  title: 'Execution',
                  cell: (x) => (
                    <>
                      <ExecutionLink id={x.id} />
                      {x.parentExecutionId && <span class="muted"> (child)</span>}
                    </>
                  ),
                },
                { title: 'Workflow', cell: (x) => `${x.workflow} v${x.version}` },
                { title: 'Channel', cell: (x) => x.channel },
                { title: 'Status', cell: (x) => <StatusBadge status={x.status} /> },
                { title: 'Started', cell: (x) => formatTime(x.startedAt) },
              ]}
            />
          )}
        </section>
      )}
    </Loaded>
  );
}
