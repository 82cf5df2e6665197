import { useState } from 'preact/hooks';
import { diffLines } from 'diff';
import { api, enc } from '../../api.js';
import { useLoad } from '../../hooks.js';
import { Loaded } from '../../components/common.jsx';
import { definitionOf, pretty } from '../../definition.js';

const CONTEXT = 3;

/** A line diff of two versions' definitions (as the server stores them, so field order is the same in both). */
export function VersionDiff({ name, latest }) {
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const state = useLoad(
    () => Promise.all([from, to].map((v) => api(`/workflows/${enc(name)}?version=${v}`))),
    [name, from, to],
  );
  const numbers = Array.from({ length: latest }, (_, i) => latest - i);
  const picker = (id, label, value, set) => (
    <span class="field-inline">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(Number(e.currentTarget.value))}>
        {numbers.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </span>
  );
  return (
    <div class="diff-view">
      <div class="filters">
        {picker('diff-from', 'From', from, setFrom)}
        {picker('diff-to', 'To', to, setTo)}
      </div>
      <Loaded state={state} what="versions">
        {([a, b]) => {
          const parts = diffLines(pretty(definitionOf(a)), pretty(definitionOf(b)));
          const changed = parts.some((p) => p.added || p.removed);
          return (
            <>
              {!changed && <p>v{from} and v{to} have the same definition.</p>}
              <pre class="diff" tabIndex={0} aria-label={`Changes from v${from} to v${to}`}>
                {parts.flatMap((part, i) => {
                  const kind = part.added ? 'diff-add' : part.removed ? 'diff-remove' : 'diff-same';
                  const sign = part.added ? '+' : part.removed ? '-' : ' ';
                  const lines = part.value.replace(/\n$/, '').split('\n');
                  const row = (line, j) => (
                    <span key={`${i}-${j}`} class={kind}>
                      {part.added && <span class="visually-hidden">added: </span>}
                      {part.removed && <span class="visually-hidden">removed: </span>}
                      {`${sign} ${line}`}
                    </span>
                  );
                  if (part.added || part.removed || lines.length <= 2 * CONTEXT + 1) return lines.map(row);
                  // Long unchanged runs shrink to their edges, so the changes are on screen.
                  const head = i === 0 ? [] : lines.slice(0, CONTEXT);
                  const tail = i === parts.length - 1 ? [] : lines.slice(-CONTEXT);
                  const hidden = lines.length - head.length - tail.length;
                  return [
                    ...head.map(row),
                    <span key={`${i}-gap`} class="diff-same diff-gap">
                      {`  … ${hidden} unchanged line${hidden === 1 ? '' : 's'} …`}
                    </span>,
                    ...tail.map((line, j) => row(line, `t${j}`)),
                  ];
                })}
              </pre>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
