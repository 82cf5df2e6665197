import { useEffect, useRef } from 'preact/hooks';

/** A problem from the API (or any error) as an alert, with its per-field errors listed. */
export function ProblemView({ error, title = 'Something went wrong' }) {
  if (!error) return null;
  const errors = error.errors || [];
  return (
    <div class="problem" role="alert">
      <strong>{title}</strong>
      {error.status ? ` (${error.status})` : ''}: {error.message}
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.field || '(body)'}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The page for a 404: another tenant's resource and an unknown one look the same (docs/api.md §2.4). */
export function NotFound({ what }) {
  return (
    <section class="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>There is no {what} here: it does not exist, was deleted, or belongs to another tenant.</p>
    </section>
  );
}

/** Loading, 404 or any other error, else the children. */
export function Loaded({ state, what, children }) {
  if (state.loading && !state.data) return <p aria-live="polite">Loading…</p>;
  if (state.error?.status === 404) return <NotFound what={what} />;
  if (state.error) return <ProblemView error={state.error} title={`Cannot load the ${what}`} />;
  return children(state.data);
}

export function StatusBadge({ status }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

/** Page heading that takes focus when the page changes, so screen readers announce the new page. */
export function PageTitle({ children }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Json({ value, label }) {
  return (
    <pre class="json" tabIndex={0} aria-label={label}>
      {value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}
