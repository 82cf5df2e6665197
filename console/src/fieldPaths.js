import { findNodeAtLocation, parseTree } from 'jsonc-parser';

/** "nodes[1].config.expression" → ["nodes", 1, "config", "expression"] (the field paths of docs/api.md §3). */
export function splitFieldPath(field) {
  const path = [];
  for (const match of String(field).matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    path.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return path;
}

/**
 * The 1-based line of `text` where a field error belongs: the field's own property when it is there, else its
 * nearest enclosing one (a missing required field is reported at its parent object), else line 1.
 */
export function lineOfField(text, field) {
  const tree = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  if (!tree) return 1;
  const path = splitFieldPath(field);
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (node) {
      // For a property, its key is where a reader looks (the value may start on a later line).
      const offset = node.parent?.type === 'property' ? node.parent.offset : node.offset;
      return lineAt(text, offset);
    }
  }
  return 1;
}

export function lineAt(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The character range [start, end) of a 1-based line, to select it in a textarea. */
export function lineRange(text, line) {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next < 0) break;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end < 0 ? text.length : end];
}
