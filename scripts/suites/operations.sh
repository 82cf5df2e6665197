#!/usr/bin/env bash
# The runbook's operations scripts against the local stack (docs/runbook.md): scripts/validate-staging.sh passes (and
# fails with an unknown key); scripts/test-restore.sh dumps and restores every service database with identical row
# counts, and catches a difference when one is planted (--tamper); scripts/load-test runs a short mixed-channel
# open-loop load, reports every route and channel, judges the error SLO, and its exit status follows the SLOs (an
# impossible latency target must fail it). The latency SLOs of the short run are printed, not checked: on a shared
# 2-core machine they measure the neighbours as much as Nexus.
source "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATABASES=(tenant_service workflow_service session_service marketplace_service)

# --- scripts/test-restore.sh ---------------------------------------------------------------------------------------
"$ROOT/scripts/test-restore.sh" >"$WORK/restore.out" 2>&1
status=$?
sed 's/^/# /' "$WORK/restore.out"
check "test-restore.sh exits 0 on the live databases ($status)" test "$status" = 0
for db in "${DATABASES[@]}"; do
  check "$db is dumped, restored and every table's count matches" grep -q "^ok - $db: [1-9][0-9]* tables" "$WORK/restore.out"
done
"$ROOT/scripts/test-restore.sh" --tamper --databases tenant_service >"$WORK/tamper.out" 2>&1
status=$?
check "a row missing from the restored copy fails it (exit $status)" test "$status" = 1
check "and names the table with both counts" grep -q '^#   public\.[a-z_]*: source [0-9]*, restored [0-9]*$' "$WORK/tamper.out"
# The scratch databases left behind, asked as test-restore.sh asks: over TCP, else as the postgres OS user.
leftovers() {
  local query="SELECT count(*) FROM pg_database WHERE datname LIKE 'nexus_restore_check_%'"
  PGCONNECT_TIMEOUT=3 psql -X -At -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U postgres -d postgres -c "$query" 2>/dev/null ||
    runuser -u postgres -- psql -X -At -p "${DB_PORT:-5432}" -d postgres -c "$query"
}
check "its scratch databases are dropped afterwards ($(leftovers) left)" test "$(leftovers)" = 0

# --- scripts/validate-staging.sh (the local services' own ports stand in for port-forwards) ---------------------------
NEXUS_SERVICE_URLS=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083,http://127.0.0.1:8084 \
  "$ROOT/scripts/validate-staging.sh" "$GATEWAY" >"$WORK/staging.out" 2>&1
status=$?
grep '^not ok' "$WORK/staging.out" | sed 's/^/# /'
check "validate-staging.sh passes on the local stack ($(tail -n 1 "$WORK/staging.out"))" test "$status" = 0
NEXUS_API_KEY=nxk_not-a-key-of-anyone-at-all "$ROOT/scripts/validate-staging.sh" "$GATEWAY" >"$WORK/staging-bad.out" 2>&1
check "and fails with a key that does not exist (exit $?)" grep -q '^not ok - the key resolves to its tenant' "$WORK/staging-bad.out"

# --- scripts/load-test -----------------------------------------------------------------------------------------------
"$ROOT/scripts/load-test" --url "$GATEWAY" --rate 10 --duration 6 >"$WORK/load.out" 2>&1
status=$?
sed 's/^/# /' "$WORK/load.out"
check "load-test ran (exit $status: 0 or 1 by the SLOs, not 2)" test "$status" -le 1
for route in 'GET /api/v1/workflows' 'POST /api/v1/workflows/{name}/executions' 'POST /mcp tools/call' \
  'GET /api/v1/sessions/{id}' 'POST /api/v1/sessions' 'GET /api/v1/marketplace/items'; do
  check "load-test reports $route with p50/p95/p99" \
    awk -v r="$route" 'index($0, r " ") == 1 && $(NF - 6) > 0 && $NF ~ /^[0-9.]+$/ { found = 1 } END { exit !found }' \
    "$WORK/load.out"
done
check "its requests went over the three channels ($(grep '^channels:' "$WORK/load.out"))" \
  grep -Eq '^channels: \{api=[1-9][0-9]*, cli=[1-9][0-9]*, mcp=[1-9][0-9]*\}$' "$WORK/load.out"
check "the error SLO holds (errors < 1 %)" grep -q '^ok - total: errors ' "$WORK/load.out"
check "its exit status is the SLO verdict of its RESULT line" bash -c \
  "grep -q '^RESULT .* slo=$([ "$status" = 0 ] && echo pass || echo fail)$' '$WORK/load.out'"
check "it deleted its tenant" grep -q '^# deleted tenant ' "$WORK/load.out"

"$ROOT/scripts/load-test" --url "$GATEWAY" --rate 5 --duration 2 --warmup 0 --p95-ms 0.001 >"$WORK/strict.out" 2>&1
status=$?
check "an unreachable p95 target makes it exit 1 ($status)" test "$status" = 1
check "with the failed SLO named" grep -q '^not ok - total: p95 ' "$WORK/strict.out"

summary
