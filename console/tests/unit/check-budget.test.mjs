import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-budget.mjs');

/** A fake build: index.html loading entry.js, which statically imports chunk.js; lazy.js is only import()ed. */
function build(chunkBytes) {
  const dir = mkdtempSync(join(tmpdir(), 'console-budget-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<script type="module" crossorigin src="/console/assets/entry.js"></script>');
  writeFileSync(join(dir, 'assets', 'entry.js'), 'import{a as b}from"./chunk.js";const l=()=>import("./lazy.js");b();');
  // Random bytes (base64) barely compress, so their size is what the budget sees.
  writeFileSync(join(dir, 'assets', 'chunk.js'), `export const a=()=>"${randomBytes(chunkBytes).toString('base64')}";`);
  writeFileSync(join(dir, 'assets', 'lazy.js'), `export const z="${randomBytes(400 * 1024).toString('base64')}";`);
  return dir;
}

const run = (dir) => spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });

test('a first load under the budget passes and prints its size', () => {
  const result = run(build(10 * 1024));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /first-load JavaScript is \d+\.\d KiB gzipped in 2 file\(s\)/);
});

test('a first load over the budget fails, counting static imports but not lazy ones', () => {
  const result = run(build(320 * 1024));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /over the 300 KiB budget/);
  assert.match(result.stderr, /in 2 file\(s\)/);
});
