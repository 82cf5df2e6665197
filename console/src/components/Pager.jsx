import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';

/**
 * A cursor-paged list (docs/api.md §4.1): the first page for `path`, "Load more" appends the next. Resets when
 * `path` changes. Renders children(items) once loaded.
 */
export function usePages(fetchPage, key) {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  useEffect(() => {
    let current = true;
    setState({ items: [], next: null, loading: true, error: null });
    fetchPage(null).then(
      (page) => current && setState({ items: page.items, next: page.nextCursor, loading: false, error: null }),
      (error) => current && setState({ items: [], next: null, loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  const more = async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await fetchPage(state.next);
      setState((s) => ({ items: [...s.items, ...page.items], next: page.nextCursor, loading: false, error: null }));
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error: error instanceof ApiError ? error : new ApiError(0, {}) }));
    }
  };
  return { ...state, more };
}

export function MoreButton({ pages }) {
  if (!pages.next) return null;
  return (
    <button type="button" onClick={pages.more} disabled={pages.loading}>
      {pages.loading ? 'Loading…' : 'Load more'}
    </button>
  );
}
