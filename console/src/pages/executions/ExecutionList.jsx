import { useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { navigate } from '../../router.js';
import { formatTime } from '../../hooks.js';
import { PageTitle, ProblemView, StatusBadge } from '../../components/common.jsx';
import { MoreButton, usePages } from '../../components/Pager.jsx';
import { DataTable, ExecutionLink } from '../../components/DataTable.jsx';

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
        <DataTable
          label="Executions"
          rows={pages.items}
          rowProps={(x) => ({ key: x.id, 'data-execution': x.id })}
          columns={[
            { title: 'Execution', cell: (x) => <ExecutionLink id={x.id} /> },
            {
              title: 'Workflow',
              cell: (x) => (
                <>
                  {x.workflow} <span class="muted">v{x.version}</span>
                </>
              ),
            },
            {
              title: 'Status',
              cell: (x) => (
                <>
                  <StatusBadge status={x.status} />
                  {x.error && <span class="muted"> {x.error.code}</span>}
                </>
              ),
            },
            { title: 'Channel', cell: (x) => x.channel },
            { title: 'Created', cell: (x) => formatTime(x.createdAt) },
            { title: 'Finished', cell: (x) => formatTime(x.finishedAt) },
          ]}
        />
      )}
      <MoreButton pages={pages} />
    </section>
  );
}
