#!/usr/bin/env bash
# Does a long execution history slow Nexus down? Sync executions with the history as found, then with a million more
# finished executions in it (issue 18: "throughput with a million finished executions must stay within 10 % of the
# empty database"; execution history retention, docs/api.md §4.4, is what keeps history from growing past that).
#
# What is measured: executions/s, p50 and p99 of the 3-node transform workflow (benchmarks/nexus/bench-three-steps.json)
# run synchronously by closed-loop clients (benchmarks/loadgen/WorkflowLoad.java, as in workflow-executions.sh),
# direct to workflow-service (:8082, signed X-Nexus-Identity: the gateway's own cost and its rate limiter stay out of
# the comparison) or through the gateway (TARGETS). Phases, each REPS runs of WARMUP + DURATION s per concurrency:
#   before   the history as found (the count is printed; on a fresh stack it is close to 0);
#   after    with HISTORY (1,000,000) finished executions more, inserted in bulk (INSERT ... SELECT generate_series)
#            into the real tables for the benchmark's own tenant, shaped like the rows this workflow leaves: the
#            execution (inputs, outputs, UUIDv7 ids, times spread over the last HISTORY_DAYS days) and its three steps
#            with their outputs; then VACUUM (ANALYZE), as autovacuum or the service's own upkeep would have done;
#   cleaned  (CHECK_DRIFT=1) after the benchmark's rows are deleted again: how far the machine itself drifted.
# The ratio after/before of the medians is printed for executions/s (target >= 0.90) and p99.
# The tenant is created with plan enterprise (90 days of retention), so that a workflow-service that runs retention
# keeps the inserted history (at most HISTORY_DAYS = 60 days old) for the whole benchmark. If migration V11 is applied,
# the retention sweep's batch query is shown with EXPLAIN over the inserted history.
# Every row the benchmark inserted or made (the tenant's executions and steps) is deleted at the end, also when it is
# interrupted, and the tenant is deleted through the API.
#
# The machine has 2 cores shared with everything else: the 1-minute load average is printed with every run.
#
# DIRECT_ONLY=1 measures a workflow-service of its own instead (a build under test started beside the stack, e.g. on
# :8092 with a scratch database, WORKFLOW_DB): the tenant is then an id of the benchmark's own that tenant-service never
# hears of, its quotas and plan a row the benchmark writes into that database's projection, and the workflow is
# registered directly with a signed identity; only the internal key that signs identities is read from the stack's
# state (.nexus/state/workflow-service.env). At the end the tenant's workflow and projection row are deleted too.
#
# Environment: HISTORY (1000000), HISTORY_DAYS (60), REPS (3), WARMUP (s, 10), DURATION (s, 30; WARMUP + DURATION
#   stay under 60 s, the life of a signed identity), CONCURRENCIES ("16"), PREWARM (s, 20), TARGETS ("direct": direct
#   and/or gateway), CHECK_DRIFT (1), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh),
#   RESULTS_DIR (~/.cache/nexus/bench: the RESULT lines are kept there), NEXUS_STATE_DIR (.nexus),
#   NEXUS_GATEWAY_URL (http://127.0.0.1:8000), NEXUS_DIRECT_URL (workflow-service, http://127.0.0.1:8082),
#   WORKFLOW_DB (workflow-service's database, workflow_service), DIRECT_ONLY (0).
# The Nexus stack is used as found; if it is down, scripts/nexus-local up starts it and it is stopped again at the end.
# shellcheck disable=SC2046 # $(vals ...): lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
for arg in "$@"; do
  case "$arg" in
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

HISTORY="${HISTORY:-1000000}"
HISTORY_DAYS="${HISTORY_DAYS:-60}"
REPS="${REPS:-3}"
WARMUP="${WARMUP:-10}"
DURATION="${DURATION:-30}"
CONCURRENCIES="${CONCURRENCIES:-16}"
PREWARM="${PREWARM:-20}"
TARGETS="${TARGETS:-direct}"
CHECK_DRIFT="${CHECK_DRIFT:-1}"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT="${NEXUS_DIRECT_URL:-http://127.0.0.1:8082}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
NEXUS_WORKFLOW=bench-three-steps
# shellcheck disable=SC2034 # read by lib/common.sh (start_nexus checks that statistics can be read)
PG=(psql -h 127.0.0.1 -U postgres -d postgres -XAt)
WORKFLOW_DB="${WORKFLOW_DB:-workflow_service}"
DIRECT_ONLY="${DIRECT_ONLY:-0}"
WF=(psql -h 127.0.0.1 -U postgres -d "$WORKFLOW_DB" -XAt -v ON_ERROR_STOP=1)
if [ "$DIRECT_ONLY" = 1 ]; then TARGETS=direct; fi

[ $((WARMUP + DURATION)) -lt 60 ] || { echo "WARMUP + DURATION must stay under 60 s (a signed identity's life)" >&2; exit 2; }
for t in $TARGETS; do
  case "$t" in direct | gateway) ;; *) echo "TARGETS: direct and/or gateway, not $t" >&2; exit 2 ;; esac
done

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
nexus_started_here=0
tenant=""
admin_key=""
rows_left=0 # 1 while the tenant has executions in workflow_service that the benchmark has not deleted yet

source "$BENCH/lib/common.sh"

# delete_own_rows: every execution of the benchmark's tenant (the inserted history and what the load started), steps
# first in one statement (the cascade would take them one execution at a time), then VACUUM so the space is reused.
delete_own_rows() {
  [ "$rows_left" -eq 1 ] || return 0
  info "deleting the benchmark tenant's executions and steps"
  "${WF[@]}" -c "DELETE FROM execution_steps s USING executions e WHERE e.id = s.execution_id AND e.tenant_id = '$tenant'" \
    -c "DELETE FROM execution_signals s USING executions e WHERE e.id = s.execution_id AND e.tenant_id = '$tenant'" \
    -c "DELETE FROM idempotency_keys WHERE tenant_id = '$tenant'" \
    -c "DELETE FROM executions WHERE tenant_id = '$tenant' AND parent_id IS NOT NULL" \
    -c "DELETE FROM executions WHERE tenant_id = '$tenant'" >/dev/null
  "${WF[@]}" -c "VACUUM (ANALYZE) executions" -c "VACUUM (ANALYZE) execution_steps" >/dev/null
  rows_left=0
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$tenant" ]; then
    delete_own_rows || warn "could not delete the benchmark's executions of tenant $tenant"
  fi
  if [ -n "$tenant" ] && [ "$DIRECT_ONLY" = 1 ]; then
    # DIRECT_ONLY's tenant exists only in WORKFLOW_DB: its workflow and projection row go too
    "${WF[@]}" -c "DELETE FROM workflow_versions WHERE tenant_id = '$tenant'" \
      -c "DELETE FROM workflows WHERE tenant_id = '$tenant'" \
      -c "DELETE FROM tenant_quotas WHERE tenant_id = '$tenant'" >/dev/null || warn "could not delete tenant $tenant's rows"
  elif [ -n "$tenant" ]; then
    curl -fsS -o /dev/null -X DELETE "$GATEWAY/api/v1/tenants/$tenant" -H "Authorization: Bearer $admin_key" \
      || warn "could not delete tenant $tenant"
  fi
  if [ "$nexus_started_here" -eq 1 ]; then
    info "stopping the Nexus stack started by this script"
    "$ROOT/scripts/nexus-local" down >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_command curl curl
ensure_command jq jq
ensure_command javac openjdk-17-jdk-headless

mkdir -p "$WORK/loadgen"
javac -d "$WORK/loadgen" "$BENCH/loadgen/WorkflowLoad.java"
LOADGEN=(java -XX:+UseSerialGC -Xmx256m -cp "$WORK/loadgen" WorkflowLoad)

# setup_direct_tenant: DIRECT_ONLY's tenant: an id of its own, its projection row (plan enterprise, quotas never
# reached) written into WORKFLOW_DB, the workflow registered directly; sets what direct_identity signs with.
setup_direct_tenant() {
  local internal_key status
  internal_key="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/workflow-service.env" | cut -d= -f2-)"
  [ -n "$internal_key" ] || die "no NEXUS_INTERNAL_KEY in $STATE/state/workflow-service.env"
  tenant="$(cat /proc/sys/kernel/random/uuid)"
  rows_left=1
  "${WF[@]}" -c "INSERT INTO tenant_quotas (tenant_id, status, plan, workflows, executions_per_day,
    concurrent_executions, updated_at) VALUES ('$tenant', 'active', 'enterprise', 100, 100000000, 1000, now())" >/dev/null
  # shellcheck disable=SC2034 # read by direct_identity (lib/common.sh)
  bench_identity=("$tenant" "$(cat /proc/sys/kernel/random/uuid)" "$internal_key")
  status="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST "$DIRECT/api/v1/workflows" \
    -H "X-Nexus-Identity: $(direct_identity)" -H 'Content-Type: application/json' -d @"$BENCH/nexus/bench-three-steps.json")"
  [ "$status" = 201 ] || die "registering the workflow answered $status: $(cat "$WORK/register.json")"
}

# setup_tenant: a tenant of plan enterprise whose quotas are never reached, a developer key, the workflow; sets
# tenant, api_key and bench_identity (what direct_identity signs with), as bench_tenant does for the other benchmarks.
setup_tenant() {
  local internal_key key_json key_id status
  admin_key="$(cat "$STATE/admin-key")"
  internal_key="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"
  [ -n "$internal_key" ] || die "no NEXUS_INTERNAL_KEY in $STATE/state/tenant-service.env"
  tenant="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d "{\"name\": \"bench-history-$(date +%s)-$RANDOM\", \"plan\": \"enterprise\",
      \"quotas\": {\"apiCallsPerMinute\": 1000000000, \"executionsPerDay\": 100000000, \"concurrentExecutions\": 1000}}" \
    | jq -r .id)"
  if [ -z "$tenant" ] || [ "$tenant" = null ]; then tenant=""; die "could not create the benchmark's tenant"; fi
  rows_left=1
  key_json="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}')"
  api_key="$(jq -r .key <<<"$key_json")"
  key_id="$(jq -r .id <<<"$key_json")"
  status="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST "$GATEWAY/api/v1/workflows" \
    -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' -d @"$BENCH/nexus/bench-three-steps.json")"
  [ "$status" = 201 ] || die "registering the workflow answered $status: $(cat "$WORK/register.json")"
  # shellcheck disable=SC2034 # read by direct_identity (lib/common.sh)
  bench_identity=("$tenant" "$key_id" "$internal_key")
}

# first_execution: one execution by hand, direct: 200, completed, result 13
first_execution() {
  local status
  status="$(curl -s -o "$WORK/first.json" -w '%{http_code}' -X POST "$DIRECT/api/v1/workflows/$NEXUS_WORKFLOW/executions" \
    -H "X-Nexus-Identity: $(direct_identity)" -H 'Content-Type: application/json' -d '{"inputs": {"x": 6}}')"
  if [ "$status" != 200 ] || ! jq -e '.status == "completed" and .outputs.shape.result == 13' "$WORK/first.json" \
    >/dev/null; then
    die "the first execution answered $status: $(cat "$WORK/first.json")"
  fi
}

# path_args direct|gateway: sets args to the loadgen's --url and --header for that path (a fresh identity for direct)
path_args() {
  if [ "$1" = direct ]; then args=(--url "$DIRECT" --header "X-Nexus-Identity: $(direct_identity)")
  else args=(--url "$GATEWAY" --header "Authorization: Bearer $api_key"); fi
}

# run_phase PHASE: REPS rounds over the targets and concurrencies; RESULT lines tagged phase= and rep= go to $RESULTS
run_phase() {
  local phase=$1 rep c t out load args=()
  rows_left=1
  for ((rep = 1; rep <= REPS; rep++)); do
    for c in $CONCURRENCIES; do
      for t in $TARGETS; do
        load="$(load1)"
        info "$phase, $t, concurrency $c, run $rep/$REPS (load average $load)"
        path_args "$t"
        out="$("${LOADGEN[@]}" --label "$t" --target nexus --workflow "$NEXUS_WORKFLOW" --concurrency "$c" \
          --warmup "$WARMUP" --duration "$DURATION" "${args[@]}" | grep '^RESULT ')" || true
        if [ -z "$out" ] || [ "$(field "$out" execs)" -eq 0 ]; then
          die "$phase/$t/c=$c: no successful execution measured"
        fi
        out="$out phase=$phase rep=$rep load=$load/$(load1)"
        echo "$out" >>"$RESULTS"
        echo "$out"
      done
    done
  done
}

history_count() { "${WF[@]}" -c "SELECT count(*) FROM executions WHERE status IN ('completed', 'failed', 'cancelled')"; }

# insert_history: HISTORY finished executions of the benchmark's tenant, each with its three steps, as the workflow
# leaves them (checked against a real one in the first execution above), finished over the last HISTORY_DAYS days.
insert_history() {
  local t0 t1
  t0=$(date +%s)
  info "inserting $HISTORY finished executions and $((3 * HISTORY)) steps for tenant $tenant"
  "${WF[@]}" -v tenant="$tenant" -v n="$HISTORY" -v days="$HISTORY_DAYS" <<'SQL' >/dev/null
CREATE TEMP TABLE history AS
SELECT i, x, finished, finished - interval '43 ms' AS created,
       -- UUIDv7 as the service makes them: 48 bits of Unix milliseconds, version 7, variant 10, the rest random-ish
       (lpad(to_hex((extract(epoch FROM finished - interval '43 ms') * 1000)::bigint), 12, '0') || '7'
        || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid AS id
FROM (SELECT i, i % 1000 AS x, md5(i::text || random()::text) AS h,
             now() - interval '1 hour' - (i::float8 / :n) * (:days * interval '1 day') AS finished
      FROM generate_series(1, :n) AS i) s;
INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, mode, channel, inputs, outputs,
                        deadline_at, created_at, started_at, finished_at)
SELECT h.id, v.tenant_id, 'bench-three-steps', v.id, v.version, 'completed', 'sync', 'api',
       jsonb_build_object('x', h.x), jsonb_build_object('shape', jsonb_build_object('big', 2 * h.x + 1 > 10,
       'result', 2 * h.x + 1)), h.created + interval '1 hour', h.created, h.created, h.finished
FROM history h, (SELECT v.id, v.version, v.tenant_id FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
                 WHERE w.tenant_id = :'tenant' AND w.name = 'bench-three-steps' AND w.status = 'active') v
ORDER BY h.finished;
INSERT INTO execution_steps (execution_id, node, position, status, attempts, started_at, finished_at, output)
SELECT h.id, s.node, s.position, 'completed', 1, h.finished - interval '10 us', h.finished - interval '7 us',
       CASE s.node WHEN 'double' THEN jsonb_build_object('y', 2 * h.x)
                   WHEN 'inc' THEN jsonb_build_object('z', 2 * h.x + 1)
                   ELSE jsonb_build_object('big', 2 * h.x + 1 > 10, 'result', 2 * h.x + 1) END
FROM history h, (VALUES ('double', 0), ('inc', 1), ('shape', 2)) AS s(node, position)
ORDER BY h.finished, s.position;
SQL
  t1=$(date +%s)
  info "inserted in $((t1 - t0)) s; VACUUM (ANALYZE) of executions and execution_steps"
  "${WF[@]}" -c "VACUUM (ANALYZE) executions" -c "VACUUM (ANALYZE) execution_steps" >/dev/null
  info "vacuumed in $(($(date +%s) - t1)) s; sizes: $("${WF[@]}" -c "SELECT string_agg(relname || ' ' ||
    pg_size_pretty(pg_total_relation_size(relid)), ', ') FROM pg_stat_user_tables
    WHERE relname IN ('executions', 'execution_steps')")"
}

# explain_retention: the sweep's batch query over the inserted history, when V11 (its index) is there
explain_retention() {
  if [ "$("${WF[@]}" -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'executions_retention'")" = 0 ]; then
    info "no index executions_retention (migration V11 not applied to this stack): retention's query not shown"
    return
  fi
  info "the retention sweep's batch (its candidate roots, 30 days kept) over this history, EXPLAIN (ANALYZE):"
  "${WF[@]}" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, finished_at FROM executions
    WHERE tenant_id = '$tenant' AND parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled')
      AND finished_at < now() - 30 * interval '1 day'
      AND (finished_at, id) > ('1970-01-01T00:00:00Z'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid)
    ORDER BY finished_at, id LIMIT 500 FOR UPDATE SKIP LOCKED" | sed 's/^/    /' | tee -a "$WORK/explain.txt"
}

# ---------------------------------------------------------------------------------------------------- run
json_begin history-growth "Sync executions with the history as found, then with $HISTORY more finished executions"
info "machine: $(machine_description)"
if [ "$DIRECT_ONLY" = 1 ]; then
  curl -fs -m 5 -o /dev/null "$DIRECT/q/health/ready" || die "no ready workflow-service at $DIRECT"
  [ -s "$STATE/state/workflow-service.env" ] || die "no $STATE/state/workflow-service.env (for the internal key)"
  ensure_command openssl openssl
  ensure_command psql postgresql-client
  setup_direct_tenant
else
  start_nexus
  setup_tenant
fi
first_execution
args=()
for t in $TARGETS; do
  [ "$PREWARM" -gt 0 ] || break
  info "prewarm, $t: ${PREWARM}s unmeasured at concurrency 4"
  path_args "$t"
  "${LOADGEN[@]}" --label prewarm --target nexus --workflow "$NEXUS_WORKFLOW" --concurrency 4 --warmup 0 \
    --duration "$PREWARM" "${args[@]}" >/dev/null 2>&1 || true
done

before_count="$(history_count)"
info "ended executions in $WORKFLOW_DB before: $before_count"
run_phase before
insert_history
after_count="$(history_count)"
info "ended executions in $WORKFLOW_DB after the insert: $after_count"
explain_retention
run_phase after
delete_own_rows
if [ "$CHECK_DRIFT" = 1 ]; then run_phase cleaned; fi

mkdir -p "$RESULTS_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp "$RESULTS" "$RESULTS_DIR/history-growth-$stamp.txt"

# vals PHASE TARGET CONCURRENCY FIELD: FIELD of that row's runs, one a line
vals() { grep " phase=$1 " "$RESULTS" | grep "label=$2 " | grep " concurrency=$3 " | while read -r l; do field "$l" "$4"; done; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
echo
echo "Sync executions of a 3-node workflow, ${DURATION}s measured after ${WARMUP}s warm-up per run, median (min–max)"
echo "of $REPS runs; history: $before_count ended executions before, $after_count with the inserted $HISTORY"
printf '%-8s %-8s %4s %20s %18s %20s %6s\n' phase target conc exec/s "p50 ms" "p99 ms" errors
for phase in before after cleaned; do
  for c in $CONCURRENCIES; do
    for t in $TARGETS; do
      [ -n "$(vals "$phase" "$t" "$c" rate)" ] || continue
      printf '%-8s %-8s %4s %20s %18s %20s %6s\n' "$phase" "$t" "$c" "$(mmm 1 $(vals "$phase" "$t" "$c" rate))" \
        "$(mmm 2 $(vals "$phase" "$t" "$c" p50))" "$(mmm 2 $(vals "$phase" "$t" "$c" p99))" \
        "$(vals "$phase" "$t" "$c" errors | awk '{ n += $1 } END { print n + 0 }')"
      json_figure "$t-$phase" "exec_per_s_c$c" "executions/s" $(vals "$phase" "$t" "$c" rate)
      json_figure "$t-$phase" "p99_c$c" ms $(vals "$phase" "$t" "$c" p99)
    done
  done
done
echo
echo "With $HISTORY finished executions more, relative to before (medians; target: executions/s >= 0.90x):"
for c in $CONCURRENCIES; do
  for t in $TARGETS; do
    r="$(ratio "$(median_of $(vals after "$t" "$c" rate))" "$(median_of $(vals before "$t" "$c" rate))")"
    p="$(ratio "$(median_of $(vals after "$t" "$c" p99))" "$(median_of $(vals before "$t" "$c" p99))")"
    printf '  %-8s c=%-3s exec/s %sx (%s)   p99 %sx\n' "$t" "$c" "$r" "$(check_target "$r" ">=" 0.90)" "$p"
    json_ratio "$t after/before executions/s, c=$c" "$r"
    json_ratio "$t after/before p99, c=$c" "$p"
    json_target "$t executions/s with $HISTORY more finished executions, c=$c" "$r" ">=" 0.90 \
      "$(pass_json "$(check_target "$r" ">=" 0.90)")" "ratio of medians, after/before"
    if [ "$CHECK_DRIFT" = 1 ]; then
      d="$(ratio "$(median_of $(vals cleaned "$t" "$c" rate))" "$(median_of $(vals before "$t" "$c" rate))")"
      printf '  %-8s c=%-3s drift of the machine (cleaned/before): exec/s %sx\n' "$t" "$c" "$d"
      json_ratio "$t cleaned/before executions/s (drift), c=$c" "$d"
      if awk -v d="$d" 'BEGIN { exit !(d < 0.95 || d > 1.05) }'; then
        echo "  WARNING: the machine drifted by more than 5 % between the phases (see the load averages): the"
        echo "  ratio above tells more about the machine than about the history; rerun when it is quieter."
      fi
    fi
  done
done
json_setting history "$HISTORY"
json_setting history_days "$HISTORY_DAYS"
json_setting reps "$REPS"
json_setting warmup_s "$WARMUP"
json_setting duration_s "$DURATION"
json_setting concurrencies "$CONCURRENCIES"
json_setting ended_before "$before_count"
json_note "history inserted for the benchmark's own tenant (plan enterprise), deleted again at the end"
for t in $TARGETS; do
  for phase in before after cleaned; do
    json_subject "$t-$phase" nexus "Nexus $t, sync executions, phase $phase"
  done
done
json_write
echo
echo "load after the runs: $(uptime | sed 's/^ *//')"
echo "RESULT lines kept in $RESULTS_DIR/history-growth-$stamp.txt"
