import { useState } from 'preact/hooks';
import { api, enc, query } from '../../api.js';
import { canWrite } from '../../identity.js';
import { href, navigate } from '../../router.js';
import { formatTime } from '../../hooks.js';
import { PageTitle, ProblemView } from '../../components/common.jsx';
import { MoreButton, usePages } from '../../components/Pager.jsx';
import { DataTable } from '../../components/DataTable.jsx';

export function WorkflowList({ who, params }) {
  const q = params.get('q') || '';
  const [text, setText] = useState(q);
  const pages = usePages((cursor) => api(`/workflows${query({ q, cursor, limit: 50 })}`), q);
  return (
    <section>
      <div class="page-head">
        <PageTitle>Workflows</PageTitle>
        {canWrite(who) && (
          <a class="button primary" href="#/workflows/new">
            New workflow
          </a>
        )}
      </div>
      <form
        role="search"
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`#/workflows${query({ q: text.trim() })}`);
        }}
      >
        <label for="workflow-search">Search name or description</label>
        <input id="workflow-search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <ProblemView error={pages.error} title="Cannot list workflows" />
      {!pages.loading && !pages.error && pages.items.length === 0 && (
        <p class="empty" data-empty="workflows">
          {q ? `No workflow matches '${q}'.` : 'No workflows yet.'}
        </p>
      )}
      {pages.items.length > 0 && (
        <DataTable
          label="Workflows"
          rows={pages.items}
          rowProps={(w) => ({ key: w.name, 'data-workflow': w.name })}
          columns={[
            { title: 'Name', cell: (w) => <a href={href('workflows', w.name)}>{w.name}</a> },
            { title: 'Description', cell: (w) => w.description || '' },
            { title: 'Latest version', cell: (w) => w.latestVersion },
            { title: 'Updated', cell: (w) => formatTime(w.updatedAt) },
          ]}
        />
      )}
      <MoreButton pages={pages} />
    </section>
  );
}

export const workflowPath = (name, version) => `/workflows/${enc(name)}${query({ version })}`;
