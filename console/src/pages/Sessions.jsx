import { api, enc, query } from '../api.js';
import { href, navigate } from '../router.js';
import { formatTime, useLoad } from '../hooks.js';
import { Json, Loaded, PageTitle, ProblemView, StatusBadge } from '../components/common.jsx';
import { MoreButton, usePages } from '../components/Pager.jsx';

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
        <table class="list" aria-label="Sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">User</th>
              <th scope="col">Channels</th>
              <th scope="col">Status</th>
              <th scope="col">Last activity</th>
              <th scope="col">{active ? 'Expires' : 'Ended'}</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((s) => (
              <tr key={s.id} data-session={s.id}>
                <td>{s.status === 'active' ? <a href={href('sessions', s.id)}><code>{s.id}</code></a> : <code>{s.id}</code>}</td>
                <td>{s.userId || '—'}</td>
                <td>{s.channels.join(', ')}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{formatTime(s.lastActivity)}</td>
                <td>{formatTime(active ? s.expiresAt : s.endedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
            <table class="list" aria-label="Executions of the session">
              <thead>
                <tr>
                  <th scope="col">Execution</th>
                  <th scope="col">Workflow</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {executions.items.map((x) => (
                  <tr key={x.id}>
                    <td>
                      <a href={href('executions', x.id)}>
                        <code>{x.id.slice(-12)}</code>
                      </a>
                      {x.parentExecutionId && <span class="muted"> (child)</span>}
                    </td>
                    <td>
                      {x.workflow} v{x.version}
                    </td>
                    <td>{x.channel}</td>
                    <td>
                      <StatusBadge status={x.status} />
                    </td>
                    <td>{formatTime(x.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Loaded>
  );
}
