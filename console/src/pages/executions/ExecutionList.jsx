import { useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { href, navigate } from '../../router.js';
import { formatTime } from '../../hooks.js';
import { PageTitle, ProblemView, StatusBadge } from '../../components/common.jsx';
import { MoreButton, usePages } from '../../components/Pager.jsx';

export const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];

export function ExecutionList({ params }) {
  const workflow = params.get('workflow') || '';
  const status = params.get('status') || '';
  const [form, setForm] = useState({ workflow, status });
  const pages = usePages(
    (cursor) => api(`/executions${query({ workflow, status, cursor, limit: 50 })}`),
    `${workflow}|${status}`,
  );
  return (
    <section>
      <PageTitle>Executions</PageTitle>
      <form
        class="filters"
        aria-label="Filter executions"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`#/executions${query({ workflow: form.workflow.trim(), status: form.status })}`);
        }}
      >
        <label for="filter-workflow">Workflow</label>
        <input
          id="filter-workflow"
          value={form.workflow}
          onInput={(e) => setForm({ ...form, workflow: e.currentTarget.value })}
        />
        <label for="filter-status">Status</label>
        <select id="filter-status" value={form.status} onChange={(e) => setForm({ ...form, status: e.currentTarget.value })}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <ProblemView error={pages.error} title="Cannot list executions" />
      {!pages.loading && !pages.error && pages.items.length === 0 && (
        <p class="empty" data-empty="executions">
          No executions{workflow || status ? ' match these filters' : ' yet'}.
        </p>
      )}
      {pages.items.length > 0 && (
        <table class="list" aria-label="Executions">
          <thead>
            <tr>
              <th scope="col">Execution</th>
              <th scope="col">Workflow</th>
              <th scope="col">Status</th>
              <th scope="col">Channel</th>
              <th scope="col">Created</th>
              <th scope="col">Finished</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((x) => (
              <tr key={x.id} data-execution={x.id}>
                <td>
                  <a href={href('executions', x.id)}>
                    <code>{x.id.slice(-12)}</code>
                  </a>
                </td>
                <td>
                  {x.workflow} <span class="muted">v{x.version}</span>
                </td>
                <td>
                  <StatusBadge status={x.status} />
                  {x.error && <span class="muted"> {x.error.code}</span>}
                </td>
                <td>{x.channel}</td>
                <td>{formatTime(x.createdAt)}</td>
                <td>{formatTime(x.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={pages} />
    </section>
  );
}
