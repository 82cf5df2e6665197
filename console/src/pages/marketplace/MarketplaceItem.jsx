import { useState } from 'preact/hooks';
import { api, enc } from '../../api.js';
import { canWrite } from '../../identity.js';
import { href } from '../../router.js';
import { formatTime, useLoad } from '../../hooks.js';
import { Loaded, PageTitle, ProblemView, StatusBadge } from '../../components/common.jsx';

export function MarketplaceItem({ id, who }) {
  const state = useLoad(
    () => Promise.all([api(`/marketplace/items/${enc(id)}`), api(`/marketplace/items/${enc(id)}/reviews?limit=50`)]),
    [id],
  );
  return (
    <Loaded state={state} what="marketplace item">
      {([item, reviews]) => (
        <section>
          <PageTitle>{item.name}</PageTitle>
          <p>{item.summary}</p>
          {item.description && <p class="description">{item.description}</p>}
          <dl class="facts">
            <dt>Latest version</dt>
            <dd>{item.latestVersion || 'none (all yanked)'}</dd>
            <dt>Workflow</dt>
            <dd>{item.workflow}</dd>
            <dt>License</dt>
            <dd>{item.license}</dd>
            <dt>Categories</dt>
            <dd>{item.categories.join(', ')}</dd>
            <dt>Tags</dt>
            <dd>{item.tags.join(', ') || '—'}</dd>
            <dt>Rating</dt>
            <dd>{item.stats.rating === null ? 'no reviews' : `${item.stats.rating} of 5 from ${item.stats.reviews}`}</dd>
            <dt>Installs</dt>
            <dd>{item.stats.installs}</dd>
          </dl>
          {canWrite(who) && item.latestVersion && <Install item={item} />}
          <h2>Versions</h2>
          <ul>
            {item.versions.map((v) => (
              <li key={v.version}>
                {v.version} (workflow v{v.workflowVersion}) · {formatTime(v.publishedAt)}
                {v.yanked && ' · yanked'}
              </li>
            ))}
          </ul>
          <h2>Reviews ({reviews.total})</h2>
          {reviews.items.length === 0 && <p class="empty">No reviews yet.</p>}
          <ul class="reviews">
            {reviews.items.map((r) => (
              <li key={r.id}>
                <strong aria-label={`${r.rating} of 5`}>{'★'.repeat(r.rating)}{'☆'.repeat(5 - r.rating)}</strong>
                {r.verified && <span class="badge">verified install</span>} <span class="muted">{formatTime(r.createdAt)}</span>
                {r.comment && <p>{r.comment}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Loaded>
  );
}

/** Installs the item as a workflow of the caller's tenant and polls the install until it settles. */
function Install({ item }) {
  const [as, setAs] = useState(item.workflow);
  const [install, setInstall] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let current = await api(`/marketplace/items/${enc(item.id)}/install`, { method: 'POST', body: { as: as.trim() } });
      setInstall(current);
      for (let i = 0; i < 30 && current.status === 'pending'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        current = await api(`/marketplace/installs/${enc(current.installId)}`);
        setInstall(current);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Install">
      <label for="install-as">Install as workflow</label>
      <input id="install-as" value={as} onInput={(e) => setAs(e.currentTarget.value)} />
      <button type="submit" class="primary" disabled={busy}>
        Install
      </button>
      {install && (
        <span role="status">
          <StatusBadge status={install.status} />
          {install.status === 'completed' && (
            <>
              {' '}
              <a href={href('workflows', install.workflow)}>open {install.workflow}</a>
            </>
          )}
          {install.reason && ` ${install.reason}`}
        </span>
      )}
      <ProblemView error={error} title="Not installed" />
    </form>
  );
}
