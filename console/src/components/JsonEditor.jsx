import { useMemo, useRef } from 'preact/hooks';
import { lineOfField, lineRange } from '../fieldPaths.js';

/**
 * A JSON text editor with line numbers; `errors` ([{field, message}] from a problem) are pinned to the line of their
 * field, marked in the gutter and listed below as buttons that jump to that line.
 */
export function JsonEditor({ id, label, value, onInput, errors = [], rows = 24 }) {
  const area = useRef(null);
  const gutter = useRef(null);
  const lineCount = value.split('\n').length;
  const placed = useMemo(
    () => errors.map((e) => ({ ...e, line: lineOfField(value, e.field) })),
    // Errors stay where the server found them until the next answer, even while the text changes.
    [errors],
  );
  const errorLines = new Set(placed.map((e) => e.line));
  const jump = (line) => {
    const [start, end] = lineRange(value, line);
    area.current.focus();
    area.current.setSelectionRange(start, end);
    const lineHeight = area.current.scrollHeight / lineCount;
    area.current.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  return (
    <div class="json-editor">
      <label for={id}>{label}</label>
      <div class={`json-editor-frame${placed.length ? ' has-errors' : ''}`}>
        <div class="json-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} class={errorLines.has(i + 1) ? 'gutter-error' : ''} data-line={i + 1}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          rows={rows}
          spellcheck={false}
          value={value}
          aria-invalid={placed.length > 0}
          aria-describedby={placed.length ? `${id}-errors` : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onScroll={(e) => {
            gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped).
            if (e.key === 'Tab' && !e.shiftKey && !area.current.dataset.escaped) {
              e.preventDefault();
              const el = e.currentTarget;
              const { selectionStart: s, selectionEnd: t } = el;
              onInput(`${el.value.slice(0, s)}  ${el.value.slice(t)}`);
              requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
            }
            if (e.key === 'Escape') area.current.dataset.escaped = '1';
            else if (e.key !== 'Tab') delete area.current.dataset.escaped;
          }}
        />
      </div>
      <p class="hint">Tab indents; press Escape then Tab to leave the editor.</p>
      {placed.length > 0 && (
        <ul id={`${id}-errors`} class="field-errors" aria-label="Problems in the definition">
          {placed.map((e, i) => (
            <li key={i} data-field={e.field} data-line={e.line}>
              <button type="button" class="link" onClick={() => jump(e.line)}>
                line {e.line}
              </button>{' '}
              <code>{e.field || '(whole body)'}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
