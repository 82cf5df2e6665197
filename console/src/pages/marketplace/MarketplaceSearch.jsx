import { useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { href, navigate } from '../../router.js';
import { useLoad } from '../../hooks.js';
import { Loaded, PageTitle } from '../../components/common.jsx';
import { Snippet } from './Snippet.jsx';

const SORTS = ['relevance', 'rating', 'installs', 'newest', 'trending'];
const PAGE = 20;

export function MarketplaceSearch({ params }) {
  const q = params.get('q') || '';
  const sort = params.get('sort') || 'relevance';
  const offset = Number(params.get('offset') || 0);
  const [form, setForm] = useState({ q, sort });
  const state = useLoad(() => api(`/marketplace/items${query({ q, sort, offset, limit: PAGE })}`), [q, sort, offset]);
  const go = (changes) => navigate(`#/marketplace${query({ q, sort: sort === 'relevance' ? '' : sort, ...changes })}`);
  return (
    <section>
      <PageTitle>Marketplace</PageTitle>
      <form
        role="search"
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: form.q.trim(), sort: form.sort === 'relevance' ? '' : form.sort, offset: '' });
        }}
      >
        <label for="market-q">Search</label>
        <input id="market-q" type="search" value={form.q} onInput={(e) => setForm({ ...form, q: e.currentTarget.value })} />
        <label for="market-sort">Sort by</label>
        <select id="market-sort" value={form.sort} onChange={(e) => setForm({ ...form, sort: e.currentTarget.value })}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
      </form>
      <Loaded state={state} what="marketplace">
        {(page) => (
          <>
            <p class="meta" aria-live="polite">
              {page.total} item{page.total === 1 ? '' : 's'} found
            </p>
            <ul class="cards">
              {page.items.map((item) => (
                <li key={item.id} class="card" data-item={item.id}>
                  <h2>
                    <a href={href('marketplace', item.id)}>{item.name}</a>
                  </h2>
                  <p>{item.snippet ? <Snippet text={item.snippet} /> : item.summary}</p>
                  <p class="meta">
                    v{item.latestVersion} · {item.license} · {item.categories.join(', ')} ·{' '}
                    {item.stats.rating === null ? 'no reviews' : `★ ${item.stats.rating} (${item.stats.reviews})`} ·{' '}
                    {item.stats.installs} installs
                  </p>
                </li>
              ))}
            </ul>
            <div class="actions">
              {offset > 0 && (
                <button type="button" onClick={() => go({ offset: Math.max(0, offset - PAGE) || '' })}>
                  Previous
                </button>
              )}
              {offset + PAGE < page.total && (
                <button type="button" onClick={() => go({ offset: offset + PAGE })}>
                  Next
                </button>
              )}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
