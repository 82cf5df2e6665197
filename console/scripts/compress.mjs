// Writes a .gz beside every compressible file of the build, so the gateway serves pre-compressed files and does
// no compression work per request. Usage: node scripts/compress.mjs <dir>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const dir = process.argv[2] || 'dist';
let count = 0;
for (const path of files(dir)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const gz = gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(`${path}.gz`, gz);
  count++;
}
console.log(`compress: wrote ${count} .gz files in ${dir}`);

// The list the gateway loads (io.nexus.gateway.console.ConsoleFiles): every file but the .gz variants and itself.
const MANIFEST = 'nexus-console-files.txt';
const listed = [...files(dir)]
  .map((path) => path.slice(dir.length).replace(/^[/\\]+/, '').split('\\').join('/'))
  .filter((path) => !path.endsWith('.gz') && path !== MANIFEST)
  .sort();
writeFileSync(join(dir, MANIFEST), `${listed.join('\n')}\n`);
console.log(`compress: listed ${listed.length} files in ${MANIFEST}`);
