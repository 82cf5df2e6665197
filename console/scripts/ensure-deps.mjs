// Runs `npm ci` when node_modules is missing or was installed from an older lockfile, so a Maven build does not
// reinstall on every run. npm writes node_modules/.package-lock.json last, so its time says which lockfile it installed.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const newer = (file) => statSync(join(root, file)).mtimeMs > statSync(installed).mtimeMs;

if (existsSync(installed) && !newer('package-lock.json') && !newer('package.json')) {
  process.exit(0);
}
console.log('console: installing the pinned packages (npm ci)');
// --no-audit/--no-fund: nothing fetched beyond the pinned tarballs.
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
