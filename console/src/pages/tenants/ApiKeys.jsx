import { useState } from 'preact/hooks';
import { api, enc, query } from '../../api.js';
import { formatTime } from '../../hooks.js';
import { ProblemView } from '../../components/common.jsx';
import { MoreButton, usePages } from '../../components/Pager.jsx';
import { DataTable } from '../../components/DataTable.jsx';

/** A tenant's API keys: issue one (its secret shown once, here only) and revoke. */
export function ApiKeys({ tenantId }) {
  const [reload, setReload] = useState(0);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const [form, setForm] = useState({ name: '', role: 'developer', expiresInDays: '' });
  const pages = usePages(
    (cursor) => api(`/tenants/${enc(tenantId)}/api-keys${query({ cursor, limit: 100 })}`),
    `${tenantId}|${reload}`,
  );
  const create = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      const body = { name: form.name.trim(), role: form.role };
      if (form.expiresInDays) body.expiresInDays = Number(form.expiresInDays);
      setCreated(await api(`/tenants/${enc(tenantId)}/api-keys`, { method: 'POST', body }));
      setForm({ ...form, name: '' });
      setReload((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (key) => {
    setError(null);
    try {
      await api(`/tenants/${enc(tenantId)}/api-keys/${enc(key.id)}`, { method: 'DELETE' });
      setReload((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h2>API keys</h2>
      <form class="filters" onSubmit={create} aria-label="Issue an API key">
        <label for="key-name">Name</label>
        <input id="key-name" required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        <label for="key-role">Role</label>
        <select id="key-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
          {['viewer', 'developer', 'admin'].map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <label for="key-days">Expires in days (optional)</label>
        <input
          id="key-days"
          type="number"
          min="1"
          max="3650"
          value={form.expiresInDays}
          onInput={(e) => setForm({ ...form, expiresInDays: e.currentTarget.value })}
        />
        <button type="submit" class="primary">
          Issue key
        </button>
      </form>
      {created && (
        <div class="notice created-key" role="status">
          <p>
            Key <strong>{created.name}</strong> ({created.role}) issued. Copy it now: it is not shown again.
          </p>
          <label for="created-key">New key</label>
          <input id="created-key" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <ProblemView error={error || pages.error} title="API keys" />
      <DataTable
        label="API keys"
        rows={pages.items}
        rowProps={(k) => ({ key: k.id, 'data-key': k.prefix })}
        columns={[
          { title: 'Name', cell: (k) => k.name },
          { title: 'Prefix', cell: (k) => <code>{k.prefix}</code> },
          { title: 'Role', cell: (k) => k.role },
          { title: 'Created', cell: (k) => formatTime(k.createdAt) },
          { title: 'Expires', cell: (k) => (k.expiresAt ? formatTime(k.expiresAt) : 'never') },
          {
            title: 'State',
            cell: (k) =>
              k.revokedAt ? (
                `revoked ${formatTime(k.revokedAt)}`
              ) : (
                <button type="button" class="danger" onClick={() => revoke(k)} aria-label={`Revoke key ${k.name} (${k.prefix})`}>
                  Revoke
                </button>
              ),
          },
        ]}
      />
      <MoreButton pages={pages} />
    </>
  );
}
