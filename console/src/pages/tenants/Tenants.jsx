import { useState } from 'preact/hooks';
import { api, enc, query } from '../../api.js';
import { href } from '../../router.js';
import { formatTime, useLoad } from '../../hooks.js';
import { Loaded, PageTitle, ProblemView, StatusBadge } from '../../components/common.jsx';
import { MoreButton, usePages } from '../../components/Pager.jsx';
import { DataTable } from '../../components/DataTable.jsx';
import { UsageChart } from '../../components/BarChart.jsx';
import { ApiKeys } from './ApiKeys.jsx';

/** The signed-in key's tenant: quotas for every role; usage and keys for its admins (docs/api.md §4.2). */
export function OwnTenant({ who }) {
  return <TenantPage id={who.tenant.id} manage={who.role === 'admin'} />;
}

export function TenantDetail({ id }) {
  return (
    <>
      <p>
        <a href="#/tenants">← All tenants</a>
      </p>
      <TenantPage id={id} manage platform />
    </>
  );
}

function TenantPage({ id, manage, platform }) {
  const state = useLoad(() => api(`/tenants/${enc(id)}`), [id]);
  return (
    <Loaded state={state} what="tenant">
      {(tenant) => (
        <section>
          <PageTitle>Tenant {tenant.name}</PageTitle>
          <p class="meta">
            <StatusBadge status={tenant.status} /> · plan {tenant.plan} · created {formatTime(tenant.createdAt)}
          </p>
          {platform && <Suspend tenant={tenant} onChanged={state.reload} />}
          {manage ? <Usage id={id} /> : <Quotas quotas={tenant.quotas} />}
          {manage && <ApiKeys tenantId={id} />}
        </section>
      )}
    </Loaded>
  );
}

function Usage({ id }) {
  const state = useLoad(() => api(`/tenants/${enc(id)}/usage`), [id]);
  return (
    <>
      <h2>Usage against quotas</h2>
      <Loaded state={state} what="usage">
        {(usage) => (
          <>
            <UsageChart usage={usage} />
            <p class="meta">As of {formatTime(usage.at)}; counts trail the services by a moment.</p>
          </>
        )}
      </Loaded>
    </>
  );
}

function Quotas({ quotas }) {
  return (
    <>
      <h2>Quotas</h2>
      <dl class="facts">
        {Object.entries(quotas).map(([name, value]) => (
          <>
            <dt key={`${name}-t`}>{name}</dt>
            <dd key={`${name}-d`}>{value.toLocaleString()}</dd>
          </>
        ))}
      </dl>
      <p class="meta">Usage and API keys are shown to the tenant’s admin keys.</p>
    </>
  );
}

function Suspend({ tenant, onChanged }) {
  const [error, setError] = useState(null);
  const next = tenant.status === 'active' ? 'suspended' : 'active';
  return (
    <p>
      <button
        type="button"
        class={next === 'suspended' ? 'danger' : ''}
        onClick={async () => {
          try {
            await api(`/tenants/${enc(tenant.id)}`, { method: 'PATCH', body: { status: next } });
            onChanged();
          } catch (e) {
            setError(e);
          }
        }}
      >
        {next === 'suspended' ? 'Suspend tenant' : 'Reactivate tenant'}
      </button>
      <ProblemView error={error} title="Not changed" />
    </p>
  );
}

/** The platform admin's tenant management: list and create. */
export function TenantList() {
  const [reload, setReload] = useState(0);
  const pages = usePages((cursor) => api(`/tenants${query({ cursor, limit: 100 })}`), reload);
  return (
    <section>
      <PageTitle>Tenants</PageTitle>
      <CreateTenant onCreated={() => setReload((n) => n + 1)} />
      <ProblemView error={pages.error} title="Cannot list tenants" />
      {pages.items.length > 0 && (
        <DataTable
          label="Tenants"
          rows={pages.items}
          rowProps={(t) => ({ key: t.id, 'data-tenant': t.name })}
          columns={[
            { title: 'Name', cell: (t) => <a href={href('tenants', t.id)}>{t.name}</a> },
            { title: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
            { title: 'Plan', cell: (t) => t.plan },
            { title: 'Created', cell: (t) => formatTime(t.createdAt) },
          ]}
        />
      )}
      <MoreButton pages={pages} />
    </section>
  );
}

function CreateTenant({ onCreated }) {
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('standard');
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/tenants', { method: 'POST', body: { name: name.trim(), plan } });
      setName('');
      onCreated();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Create a tenant">
      <label for="tenant-name">New tenant</label>
      <input id="tenant-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="tenant-plan">Plan</label>
      <select id="tenant-plan" value={plan} onChange={(e) => setPlan(e.currentTarget.value)}>
        {['free', 'standard', 'enterprise'].map((p) => (
          <option key={p}>{p}</option>
        ))}
      </select>
      <button type="submit" class="primary">
        Create tenant
      </button>
      <ProblemView error={error} title="Not created" />
    </form>
  );
}
