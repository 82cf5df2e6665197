// Fails the build when the JavaScript that the first page load fetches exceeds the budget (issue 19: 300 KiB
// gzipped). "First load" = every script index.html references plus everything they import statically
// (modulepreload links included); lazily imported chunks are not counted. Usage: node scripts/check-budget.mjs <dir>
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 300 * 1024;
const dir = process.argv[2] || 'dist';
const html = readFileSync(join(dir, 'index.html'), 'utf8');

// Paths in index.html start with the base (/console/); the files sit at the root of dir.
const local = (url) => join(dir, url.replace(/^\/console\//, '').replace(/^\.?\//, ''));
const pending = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => local(m[1]));
const seen = new Set();
let total = 0;
while (pending.length) {
  const file = pending.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  if (!existsSync(file)) throw new Error(`budget: ${file} is referenced but missing`);
  const code = readFileSync(file);
  total += gzipSync(code, { level: 9 }).length;
  // Static imports between chunks ("import{a as b}from"./x-abc.js"") load at once; import("...") does not.
  for (const m of code.toString('utf8').matchAll(/(?:^|[;\s}])(?:import|export)[^"'()]*?from\s*["'](\.\/[^"']+\.js)["']/g)) {
    pending.push(join(file, '..', m[1]));
  }
}
const kib = (total / 1024).toFixed(1);
if (seen.size === 0) {
  console.error('budget: index.html references no script');
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error(`budget: first-load JavaScript is ${kib} KiB gzipped in ${seen.size} file(s), over the ${BUDGET_BYTES / 1024} KiB budget`);
  process.exit(1);
}
console.log(`budget: first-load JavaScript is ${kib} KiB gzipped in ${seen.size} file(s) (budget ${BUDGET_BYTES / 1024} KiB)`);
