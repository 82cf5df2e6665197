#!/usr/bin/env bash
# The web console (issue 19, console/) in real Chromium against this stack's gateway: sign-in, a workflow registered
# from JSON (its 422 shown at the field), started from the generated form and followed live to its end, a waiting
# execution cancelled and another signalled, sessions, marketplace, tenant keys, and another tenant seeing none of it.
# console/tests drives Debian's chromium with playwright-core; it prints one "ok - ..."/"not ok - ..." line per test.
# Screenshots of each page land in console/target/screenshots/.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/basics.sh"

CONSOLE_DIR="$(cd "$(dirname "$0")/../../console" && pwd)"

ensure_command node nodejs
ensure_command npm npm
ensure_command chromium chromium
# npm ci only when node_modules is missing or older than the lockfile (the same check the Maven build uses).
if ! (cd "$CONSOLE_DIR" && node scripts/ensure-deps.mjs >"$WORK/npm.log" 2>&1); then
  cat "$WORK/npm.log"
  echo "not ok - the console's npm packages are installed (npm ci failed, output above)"
  exit 1
fi

cd "$CONSOLE_DIR" || exit 1
NEXUS_GATEWAY_URL="$GATEWAY" CHROMIUM="$(command -v chromium)" \
  node --test --test-concurrency=1 --test-reporter=./tests/reporter.mjs tests/unit/ tests/console.test.mjs >"$WORK/out" 2>&1
status=$?
cat "$WORK/out"
if ! grep -Eq '^(not )?ok ' "$WORK/out"; then
  echo "not ok - the console's browser tests ran (node --test exited $status before reporting a test)"
  exit 1
fi
exit "$status"
