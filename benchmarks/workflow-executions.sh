#!/usr/bin/env bash
# Sync workflow executions: Nexus beside Netflix Conductor 3.15.0, on this machine, in one run.
#
# What is measured: executions/s, p50 and p99 of a 3-node transform workflow (double -> inc -> shape, see
# benchmarks/nexus/bench-three-steps.json) run synchronously by N closed-loop clients (N = 1 and 16):
#   - Nexus through the gateway (:8000, API key) and direct to workflow-service (:8082, signed X-Nexus-Identity):
#     POST /api/v1/workflows/bench-three-steps/executions {"inputs": {"x": x}, "mode": "sync"}, one request;
#     Nexus keeps each execution's history durably in PostgreSQL.
#   - Conductor 3.15.0 (com.netflix.conductor:conductor-server:3.15.0:boot from Maven Central, Java 17, :8090),
#     in-memory store (conductor.db.type=memory), task queues in the local Redis (redis_standalone, database 11,
#     key prefix nexus-bench-conductor), no Elasticsearch (benchmarks/conductor/conductor.properties), running the
#     equivalent workflow, in two variants, both measured: three JSON_JQ_TRANSFORM tasks ("conductor-jq",
#     benchmarks/conductor/bench-three-steps-jq.json) and three INLINE javascript tasks ("conductor-inline",
#     bench-three-steps-inline.json; Nashorn, far more CPU per task). Ratios are taken to the faster of the two.
#     Conductor 3.15.0 has no synchronous execute endpoint. One execution is therefore measured, from the client,
#     as POST /api/workflow/{name} (start; INLINE/JQ are synchronous system tasks, so the decider runs all three
#     inside the start call) + GET /api/workflow/{id}?includeTasks=false at once, then every POLL_INTERVAL_MS until
#     COMPLETED. The loadgen reports the mean number of GETs per execution ("polls"; 1.00 means the first GET
#     already saw COMPLETED). That is two HTTP requests per Conductor execution against one for Nexus.
# Every execution is checked (completed, result == 2x + 1, big == result > 10); anything else counts as an error.
# The same load generator (benchmarks/loadgen/WorkflowLoad.java, JDK only) drives both.
#
# Also reported: Nexus's ratio to Conductor (executions/s, same concurrency) and PostgreSQL commits per Nexus
# execution: xact_commit of database workflow_service in pg_stat_database, read before and after each Nexus run
# (STATS_FLUSH_WAIT, 11 s, after the load stops: backends report their statistics within 10 s of going idle), divided
# by every execution of the run, warm-up included. It counts every transaction in that database, the outbox relay's
# included; the background rate (commits/s measured while idle before the runs) is also shown subtracted.
#
# The machine has 2 cores shared by the load generator, the servers and anything else running; the 1-minute load
# average before and after each run, and the CPU share that everything else used during it ("others"), are printed
# beside its figures. Because throughput on a shared machine moves with
# everyone else's load, each row also gives the servers' CPU time per execution (utime + stime from /proc, warm-up
# included, divided by every execution of the run): Conductor's JVM; for Nexus the gateway's and workflow-service's
# JVMs (the processes listening on their ports); separately, the other processes an execution keeps busy
# (tenant-, session- and marketplace-service, which consume its events, and Kafka: "rest"); all PostgreSQL processes
# (the whole cluster, so other databases' traffic too) and, within that, the backends connected to workflow_service
# ("pg wf"; the rest of "pg cpu" is the other services' databases, the WAL writer, autovacuum and the like).
#
#   benchmarks/workflow-executions.sh                  everything
#   benchmarks/workflow-executions.sh --conductor-only Conductor only (no Nexus stack needed)
#   benchmarks/workflow-executions.sh --nexus-only     Nexus only; ratios use the last --conductor-only/full run's
#                                                      Conductor figures if there are any in RESULTS_DIR
# Each server is first warmed up once, unmeasured, for PREWARM seconds per variant/path at concurrency 4 (JIT), then
# every row has its own WARMUP before its measured DURATION. Every row is measured REPS times (one repetition of all
# rows after the other, per server); the table gives the median with min and max. The ratio to Conductor is taken per
# repetition (Nexus's k-th run against Conductor's k-th, the faster variant of that repetition), then the median.
# Environment: REPS (3), WARMUP (s per run, default 15), DURATION (s measured per run, default 30), CONCURRENCIES
#   ("1 16"), PREWARM (s, default 30), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh),
#   POLL_INTERVAL_MS (2), CONDUCTOR_TASKS ("jq inline", either or both), CONDUCTOR_PORT (8090), CONDUCTOR_HEAP (2g),
#   RESULTS_DIR (~/.cache/nexus/bench: the RESULT lines of each run are kept there), NEXUS_STATE_DIR (.nexus),
#   NEXUS_GATEWAY_URL (http://127.0.0.1:8000), NEXUS_DIRECT_URL (workflow-service, http://127.0.0.1:8082).
# The Nexus stack is used as found; if it is down, scripts/nexus-local up starts it and it is stopped again at the end.
# Conductor is started here and stopped at the end (only the process started here).
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
MODE=all
for arg in "$@"; do
  case "$arg" in
    --conductor-only) MODE=conductor ;;
    --nexus-only) MODE=nexus ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

REPS="${REPS:-3}"
WARMUP="${WARMUP:-15}"
PREWARM="${PREWARM:-30}"
DURATION="${DURATION:-30}"
CONCURRENCIES="${CONCURRENCIES:-1 16}"
POLL_INTERVAL_MS="${POLL_INTERVAL_MS:-2}"
CONDUCTOR_TASKS="${CONDUCTOR_TASKS:-jq inline}"
CONDUCTOR_VERSION=3.15.0
CONDUCTOR_PORT="${CONDUCTOR_PORT:-8090}"
CONDUCTOR_HEAP="${CONDUCTOR_HEAP:-2g}"
CONDUCTOR_URL="http://127.0.0.1:$CONDUCTOR_PORT"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
CONDUCTOR_JAR="$CACHE/conductor/conductor-server-$CONDUCTOR_VERSION-boot.jar"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
REDIS_HOST=127.0.0.1
REDIS_PORT="${NEXUS_REDIS_PORT:-6379}"
REDIS_DB=11 # conductor.redis.database in conductor.properties
REDIS_PREFIX=nexus-bench-conductor
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT="${NEXUS_DIRECT_URL:-http://127.0.0.1:8082}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
NEXUS_WORKFLOW=bench-three-steps
PG=(psql -h 127.0.0.1 -U postgres -d postgres -XAt)

declare -A CONDUCTOR_WORKFLOW=([jq]=bench_three_steps_jq [inline]=bench_three_steps)
for t in $CONDUCTOR_TASKS; do
  [ -n "${CONDUCTOR_WORKFLOW[$t]:-}" ] || { echo "CONDUCTOR_TASKS: jq and/or inline, not $t" >&2; exit 2; }
done

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
conductor_pid=""
nexus_started_here=0

source "$BENCH/lib/common.sh"

cleanup() {
  local status=$?
  if [ -n "$conductor_pid" ] && kill -0 "$conductor_pid" 2>/dev/null; then
    info "stopping Conductor (pid $conductor_pid)"
    kill "$conductor_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$conductor_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$conductor_pid" 2>/dev/null || true
  fi
  if [ -n "$conductor_pid" ]; then clean_conductor_redis_keys || true; fi
  if [ "$nexus_started_here" -eq 1 ]; then
    info "stopping the Nexus stack started by this script"
    "$ROOT/scripts/nexus-local" down >/dev/null 2>&1 || true
  fi
  if [ $status -ne 0 ] && [ -f "$WORK/conductor.log" ]; then
    mkdir -p "$RESULTS_DIR" && cp "$WORK/conductor.log" "$RESULTS_DIR/conductor-last-failed.log" \
      && echo "Conductor's log: $RESULTS_DIR/conductor-last-failed.log" >&2
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_command curl curl
ensure_command jq jq
ensure_command javac openjdk-17-jdk-headless
ensure_command redis-cli redis-tools

# The load generator, compiled once (the source launcher would spend seconds of CPU compiling it before every run).
mkdir -p "$WORK/loadgen"
javac -d "$WORK/loadgen" "$BENCH/loadgen/WorkflowLoad.java"
LOADGEN=(java -XX:+UseSerialGC -Xmx256m -cp "$WORK/loadgen" WorkflowLoad)

SERVER_PIDS="" # the servers whose CPU run_load counts
REST_PIDS=""   # Nexus: the other processes an execution keeps busy (tenant-, session-, marketplace-service, Kafka)
PG_CPU=0       # 1: run_load also counts all PostgreSQL processes, and apart those serving workflow_service
REP=1          # the repetition run_load tags its RESULT line with

# run_load LABEL CONCURRENCY ARGS...: one loadgen run; appends its RESULT line (with the load average) to $RESULTS.
# shellcheck disable=SC2086 # $SERVER_PIDS and $pgs are lists of pids
run_load() {
  local label=$1 c=$2 out load s0 s1 r0 r1 pg pg0 pg1 wf0 wf1 m0 m1 t0 t1 pgs="" wfs="" total others
  shift 2
  load="$(load1)"
  info "$label, concurrency $c: ${WARMUP}s warm-up + ${DURATION}s measured (load average $load)"
  if [ "$PG_CPU" -eq 1 ]; then pgs="$(pg_pids)"; wfs="$(workflow_backend_pids)"; fi
  s0="$(cpu_ticks $SERVER_PIDS)"; r0="$(cpu_ticks $REST_PIDS)"; pg0="$(cpu_by_pid $pgs)"; wf0="$(cpu_by_pid $wfs)"
  m0="$(busy_ticks)"; t0="$(date +%s.%N)"
  out="$("${LOADGEN[@]}" --label "$label" --concurrency "$c" --warmup "$WARMUP" --duration "$DURATION" "$@" \
    | grep '^RESULT ')" || true
  s1="$(cpu_ticks $SERVER_PIDS)"; r1="$(cpu_ticks $REST_PIDS)"; pg1="$(cpu_by_pid $pgs)"; wf1="$(cpu_by_pid $wfs)"
  pg="$(cpu_delta "$pg0" "$pg1")"; m1="$(busy_ticks)"; t1="$(date +%s.%N)"
  if [ -z "$out" ] || [ "$(field "$out" execs)" -eq 0 ]; then
    die "$label at concurrency $c: no successful execution was measured (see the errors above)"
  fi
  total="$(field "$out" total)"
  out="$out load=$load/$(load1) cpu_ms=$(per_execution $((s1 - s0)) "$total")"
  if [ -n "${REST_PIDS// /}" ]; then out="$out rest_cpu_ms=$(per_execution $((r1 - r0)) "$total")"; fi
  if [ "$PG_CPU" -eq 1 ]; then
    out="$out pg_cpu_ms=$(per_execution "$pg" "$total")"
    out="$out pg_wf_cpu_ms=$(per_execution "$(cpu_delta "$wf0" "$wf1")" "$total")"
  fi
  # What everything else on the machine used meanwhile, in % of all cores: busy time less servers, the other Nexus
  # processes and PostgreSQL (when counted) and the load generator.
  others="$(awk -v m="$((m1 - m0))" -v s="$((s1 - s0 + r1 - r0))" -v p="$pg" -v cl="$(field "$out" client_cpu_ms)" \
    -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" -v n="$(nproc)" \
    'BEGIN { v = ((m - s - p) / hz - cl / 1000) / ((t1 - t0) * n) * 100; if (v < 0) v = 0; printf "%.0f", v }')"
  out="$out others=$others% rep=$REP"
  echo "$out" >>"$RESULTS"
  echo "$out"
}

# per_execution TICKS EXECUTIONS: milliseconds of CPU per execution
per_execution() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t * 1000 / hz / n }'; }
# workflow_backend_pids: the PostgreSQL backends connected to workflow_service (its pools keep them for the run)
workflow_backend_pids() {
  "${PG[@]}" -c "select pid from pg_stat_activity where datname = 'workflow_service'" | paste -sd' ' -
}

# prewarm LABEL ARGS...: an unmeasured run at concurrency 4 for PREWARM seconds
prewarm() {
  local label=$1
  shift
  [ "$PREWARM" -gt 0 ] || return 0
  info "$label: ${PREWARM}s unmeasured warm-up at concurrency 4"
  "${LOADGEN[@]}" --label "$label" --concurrency 4 --warmup 0 --duration "$PREWARM" "$@" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------------- Conductor
clean_conductor_redis_keys() {
  # Only this benchmark's keys: its own database index and prefix. Never FLUSHDB/FLUSHALL on the shared Redis.
  command -v redis-cli >/dev/null || return 0
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" --scan --pattern "$REDIS_PREFIX.*" \
    | xargs -r -n 100 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" del >/dev/null
}

fetch_conductor() {
  if [ -s "$CONDUCTOR_JAR" ]; then return; fi
  ensure_command mvn maven
  info "fetching com.netflix.conductor:conductor-server:$CONDUCTOR_VERSION:jar:boot from Maven Central"
  mkdir -p "$(dirname "$CONDUCTOR_JAR")"
  (cd "$WORK" && mvn -q -B dependency:copy \
    "-Dartifact=com.netflix.conductor:conductor-server:$CONDUCTOR_VERSION:jar:boot" \
    "-DoutputDirectory=$(dirname "$CONDUCTOR_JAR")") || die "could not fetch the Conductor jar"
  [ -s "$CONDUCTOR_JAR" ] || die "no $CONDUCTOR_JAR after the download"
}

start_conductor() {
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 \
    || die "no Redis on $REDIS_HOST:$REDIS_PORT (Conductor's queues need it; scripts/nexus-local up starts one)"
  if port_open "$CONDUCTOR_PORT"; then die "port $CONDUCTOR_PORT is taken; set CONDUCTOR_PORT"; fi
  clean_conductor_redis_keys
  info "starting Conductor $CONDUCTOR_VERSION on :$CONDUCTOR_PORT (log: $WORK/conductor.log)"
  # Command-line arguments outrank the properties file (which Conductor loads as system properties).
  java "-Xms$CONDUCTOR_HEAP" "-Xmx$CONDUCTOR_HEAP" \
    "-DCONDUCTOR_CONFIG_FILE=$BENCH/conductor/conductor.properties" \
    -jar "$CONDUCTOR_JAR" \
    "--server.port=$CONDUCTOR_PORT" "--conductor.redis.hosts=$REDIS_HOST:$REDIS_PORT:us-east-1c" \
    >"$WORK/conductor.log" 2>&1 &
  conductor_pid=$!
  local waited=0
  until curl -fs -m 2 "$CONDUCTOR_URL/health" 2>/dev/null | grep -q '"healthy":true'; do
    kill -0 "$conductor_pid" 2>/dev/null || { tail -30 "$WORK/conductor.log" >&2; die "Conductor exited"; }
    [ $waited -lt 300 ] || die "Conductor not healthy after 300 s"
    sleep 2
    waited=$((waited + 2))
  done
  info "Conductor is healthy after ${waited}s"
  local t def id status
  for t in $CONDUCTOR_TASKS; do
    def="$BENCH/conductor/bench-three-steps-$t.json"
    curl -fsS -X PUT "$CONDUCTOR_URL/api/metadata/workflow" -H 'Content-Type: application/json' \
      -d "[$(cat "$def")]" >/dev/null || die "could not register $def"
    # One execution by hand: it must end COMPLETED with result 2x + 1.
    id="$(curl -fsS -X POST "$CONDUCTOR_URL/api/workflow/${CONDUCTOR_WORKFLOW[$t]}" -H 'Content-Type: application/json' \
      -d '{"x": 6}')"
    for _ in $(seq 1 100); do
      status="$(curl -fsS "$CONDUCTOR_URL/api/workflow/$id?includeTasks=false")"
      [ "$(jq -r .status <<<"$status")" = RUNNING ] || break
      sleep 0.1
    done
    jq -e '.status == "COMPLETED" and .output.result == 13 and .output.big == true' <<<"$status" >/dev/null \
      || die "Conductor's first $t execution did not complete as expected: $(jq -c '{status, output, reasonForIncompletion}' <<<"$status")"
  done
}

run_conductor() {
  fetch_conductor
  start_conductor
  SERVER_PIDS="$conductor_pid"
  PG_CPU=0
  local c t
  for t in $CONDUCTOR_TASKS; do
    prewarm "conductor-$t" --target conductor --url "$CONDUCTOR_URL" --workflow "${CONDUCTOR_WORKFLOW[$t]}" \
      --poll-interval-ms "$POLL_INTERVAL_MS"
  done
  for ((REP = 1; REP <= REPS; REP++)); do
    for c in $CONCURRENCIES; do
      for t in $CONDUCTOR_TASKS; do
        run_load "conductor-$t" "$c" --target conductor --url "$CONDUCTOR_URL" --workflow "${CONDUCTOR_WORKFLOW[$t]}" \
          --poll-interval-ms "$POLL_INTERVAL_MS" >/dev/null
      done
    done
  done
  info "stopping Conductor (pid $conductor_pid)"
  kill "$conductor_pid" 2>/dev/null || true
  wait "$conductor_pid" 2>/dev/null || true
  conductor_pid=""
  clean_conductor_redis_keys || true
}

# ---------------------------------------------------------------------------------------------------- Nexus

setup_nexus() {
  local status
  bench_tenant bench-wf 1000

  # One execution each way by hand: 200, completed, result 13.
  local url auth
  for url in "$GATEWAY" "$DIRECT"; do
    if [ "$url" = "$GATEWAY" ]; then auth="Authorization: Bearer $api_key"; else auth="X-Nexus-Identity: $(direct_identity)"; fi
    status="$(curl -s -o "$WORK/first.json" -w '%{http_code}' -X POST "$url/api/v1/workflows/$NEXUS_WORKFLOW/executions" \
      -H "$auth" -H 'Content-Type: application/json' -d '{"inputs": {"x": 6}, "mode": "sync"}')"
    if [ "$status" != 200 ] || ! jq -e '.status == "completed" and ((.outputs.result // .outputs.shape.result) == 13)' \
      "$WORK/first.json" >/dev/null; then
      die "first execution via $url answered $status: $(cat "$WORK/first.json")"
    fi
  done
}

run_nexus() {
  start_nexus
  setup_nexus
  prewarm nexus-gateway --target nexus --workflow "$NEXUS_WORKFLOW" --url "$GATEWAY" --header "Authorization: Bearer $api_key"
  prewarm nexus-direct --target nexus --workflow "$NEXUS_WORKFLOW" --url "$DIRECT" --header "X-Nexus-Identity: $(direct_identity)"
  info "background commits in workflow_service: 10 s idle"
  sleep "$STATS_FLUSH_WAIT"
  local b0 b1 c
  b0="$(commits)"; sleep 10; b1="$(commits)"
  background_rate="$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", (b - a) / 10 }')"
  SERVER_PIDS="$(port_holder "${GATEWAY##*:}") $(port_holder "${DIRECT##*:}")"
  REST_PIDS="$(for port in 8081 8083 8084 9092; do port_holder "$port"; done | paste -sd' ' -)"
  PG_CPU=1
  [ -n "${SERVER_PIDS// /}" ] || info "cannot tell the gateway's and workflow-service's pids: no server CPU figures"
  for ((REP = 1; REP <= REPS; REP++)); do
    for c in $CONCURRENCIES; do
      nexus_run "nexus-gateway" "$c" --url "$GATEWAY" --header "Authorization: Bearer $api_key"
      nexus_run "nexus-direct" "$c" --url "$DIRECT" --header "X-Nexus-Identity: $(direct_identity)"
    done
  done
}

# nexus_run LABEL CONCURRENCY ARGS...: one run, with commits per execution appended to its RESULT line
nexus_run() {
  local label=$1 c=$2 before after t0 t1 line
  shift 2
  before="$(commits)"; t0=$(date +%s.%N)
  line="$(run_load "$label" "$c" --target nexus --workflow "$NEXUS_WORKFLOW" "$@")"
  sleep "$STATS_FLUSH_WAIT"
  after="$(commits)"; t1=$(date +%s.%N)
  append_commits "$before" "$after" "$t0" "$t1" "$line"
}

# ---------------------------------------------------------------------------------------------------- run
json_begin workflow-executions "Sync executions of a 3-node workflow: Nexus (gateway, direct) vs Conductor $CONDUCTOR_VERSION"
info "machine: $(machine_description)"
if [ "$MODE" != nexus ]; then run_conductor; fi
if [ "$MODE" != conductor ]; then run_nexus; fi

mkdir -p "$RESULTS_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp "$RESULTS" "$RESULTS_DIR/workflow-executions-$stamp.txt"
conductor_source="this run"
if [ "$MODE" = nexus ]; then
  previous="$(grep -l 'target=conductor' "$RESULTS_DIR"/workflow-executions-*.txt 2>/dev/null | sort | tail -1 || true)"
  if [ -n "$previous" ]; then
    grep 'target=conductor' "$previous" >>"$RESULTS"
    conductor_source="$(basename "$previous")"
  fi
fi

# median_cell VALUE...: the median for the table, "-" when the row has no such figure (Conductor's PostgreSQL)
median_cell() { median_of "$@" | sed 's/^nan$/-/'; }
# rows: "label concurrency" of each row, in the order of their first run
rows() { while read -r l; do echo "$(field "$l" label) $(field "$l" concurrency)"; done <"$RESULTS" | awk '!seen[$0]++'; }
# vals LABEL CONCURRENCY FIELD: FIELD of that row's runs, one a line
vals() { grep "label=$1 " "$RESULTS" | grep " concurrency=$2 " | while read -r l; do field "$l" "$3"; done; }
echo
echo "Sync executions of a 3-node transform workflow, ${DURATION}s measured after ${WARMUP}s warm-up per run, median"
echo "(min–max) of $REPS repetition(s) ($(nproc) cores shared by the load generator, the servers and whatever else runs)"
printf '%-16s %4s %20s %20s %22s %6s %11s %6s %7s %7s %7s %7s %7s\n' target conc exec/s "p50 ms" "p99 ms" errors \
  load others "cpu ms" "rest" "pg cpu" "pg wf" commits
while read -r label c; do
  printf '%-16s %4s %20s %20s %22s %6s %11s %6s %7s %7s %7s %7s %7s\n' "$label" "$c" \
    "$(mmm 1 $(vals "$label" "$c" rate))" "$(mmm 2 $(vals "$label" "$c" p50))" "$(mmm 2 $(vals "$label" "$c" p99))" \
    "$(vals "$label" "$c" errors | awk '{ n += $1 } END { print n + 0 }')" \
    "$(vals "$label" "$c" load | sed -n '1s|/.*||p;$s|.*/||p' | paste -sd/ -)" \
    "$(median_of $(vals "$label" "$c" others | tr -d %))%" "$(median_cell $(vals "$label" "$c" cpu_ms))" \
    "$(median_cell $(vals "$label" "$c" rest_cpu_ms))" "$(median_cell $(vals "$label" "$c" pg_cpu_ms))" \
    "$(median_cell $(vals "$label" "$c" pg_wf_cpu_ms))" "$(median_cell $(vals "$label" "$c" commits))"
done < <(rows)
echo "errors: summed over the repetitions; others, cpu ms, rest, pg cpu, pg wf, commits: medians; load: before the"
echo "  first and after the last run of the row."
echo "others = CPU that the rest of the machine used during the row's run, in % of all cores (busy time less the"
echo "  servers, the other Nexus processes and PostgreSQL when counted, and the load generator: Redis, for one);"
echo "  load = 1-minute load average, which also counts the benchmark's own threads."
echo "cpu ms = server CPU time per execution (Conductor's JVM; Nexus: gateway + workflow-service JVMs);"
echo "rest = Nexus only: the other processes an execution keeps busy (tenant-, session-, marketplace-service and"
echo "  Kafka: the event consumers and their broker);"
echo "pg cpu = CPU time of all PostgreSQL processes per execution (whole cluster: the other services' databases, WAL"
echo "  writer and autovacuum too); pg wf = the part of it spent by workflow_service's backends. All per execution,"
echo "  warm-up included."
echo
if grep -q 'target=conductor' "$RESULTS"; then
  polls="$(grep 'target=conductor' "$RESULTS" | while read -r l; do field "$l" polls; done | paste -sd/ -)"
  echo "Conductor: start + status GETs (POLL_INTERVAL_MS=$POLL_INTERVAL_MS) per execution; GETs per execution: $polls"
  [ "$conductor_source" = "this run" ] || echo "Conductor figures from an earlier run: $conductor_source"
fi
if grep -q 'target=nexus' "$RESULTS"; then
  echo "commits = PostgreSQL commits in workflow_service per Nexus execution (warm-up included), all traffic of that"
  echo "database counted (outbox relay too); background while idle: $background_rate commits/s; with that subtracted:"
  while read -r label c; do
    case "$label" in nexus-*) echo "  $label c=$c: $(median_of $(vals "$label" "$c" commits_net)) commits/execution" ;; esac
  done < <(rows)
fi
# best_conductor C REP: the rate of the faster Conductor variant at concurrency C in repetition REP (of this run, or of
# the earlier run the figures come from)
best_conductor() {
  grep 'target=conductor' "$RESULTS" | grep " concurrency=$1 " | grep -E " rep=$2( |\$)" \
    | while read -r l; do field "$l" rate; done | sort -g | tail -n 1
}
# nexus_ratios LABEL C: Nexus/Conductor per repetition
nexus_ratios() {
  local rep n b
  for ((rep = 1; rep <= REPS; rep++)); do
    n="$(grep "label=$1 " "$RESULTS" | grep " concurrency=$2 " | grep -E " rep=$rep( |\$)" | head -n 1)"
    b="$(best_conductor "$2" "$rep")"
    [ -n "$n" ] && [ -n "$b" ] && awk -v a="$(field "$n" rate)" -v b="$b" 'BEGIN { if (b > 0) printf "%.3f\n", a / b }'
  done
  return 0
}
if grep -q 'target=nexus' "$RESULTS" && grep -q 'target=conductor' "$RESULTS"; then
  echo
  echo "Ratio Nexus/Conductor, executions/s, to the faster Conductor variant at each concurrency, per repetition then the"
  echo "median (min–max) (floor 0.5x, goal >= 1x):"
  for c in $CONCURRENCIES; do
    for label in nexus-gateway nexus-direct; do
      r="$(nexus_ratios "$label" "$c")"
      [ -n "$r" ] || continue
      # shellcheck disable=SC2086 # a list of numbers
      printf '  %-14s c=%-3s %sx\n' "$label" "$c" "$(mmm 2 $r)"
      json_ratio "$label/conductor executions/s, c=$c" $r
      if [ "$label" = nexus-gateway ]; then
        v="$(median_of $r)"
        json_target "sync 3-node workflow through the gateway vs Conductor (faster variant), c=$c" "$v" ">=" 1.0 \
          "$(pass_json "$(check_target "$v" ">=" 1.0)")" "median of per-repetition ratios $(mmm 2 $r)"
        printf '       target >= 1.0x: %s\n' "$(check_target "$v" ">=" 1.0)"
      fi
    done
  done
fi
json_setting reps "$REPS"
json_setting warmup_s "$WARMUP"
json_setting duration_s "$DURATION"
json_setting prewarm_s "$PREWARM"
json_setting concurrencies "$CONCURRENCIES"
json_setting poll_interval_ms "$POLL_INTERVAL_MS"
json_setting conductor_source "$conductor_source"
json_subject nexus-gateway nexus "Nexus through the gateway (API key), sync execution, history in PostgreSQL"
json_subject nexus-direct nexus "Nexus direct to workflow-service (signed identity)"
for t in $CONDUCTOR_TASKS; do
  json_subject "conductor-$t" peer "Netflix Conductor $CONDUCTOR_VERSION, in-memory store, queues in Redis, ${t^^} tasks; start + status GETs"
done
while read -r label c; do
  json_figure "$label" "exec_per_s_c$c" "executions/s" $(vals "$label" "$c" rate)
  json_figure "$label" "p50_c$c" ms $(vals "$label" "$c" p50)
  json_figure "$label" "p99_c$c" ms $(vals "$label" "$c" p99)
  json_figure "$label" "server_cpu_c$c" "ms/execution" $(vals "$label" "$c" cpu_ms)
  case "$label" in nexus-*)
    json_figure "$label" "pg_cpu_c$c" "ms/execution" $(vals "$label" "$c" pg_cpu_ms)
    json_figure "$label" "pg_workflow_service_cpu_c$c" "ms/execution" $(vals "$label" "$c" pg_wf_cpu_ms)
    json_figure "$label" "other_nexus_cpu_c$c" "ms/execution" $(vals "$label" "$c" rest_cpu_ms)
    json_figure "$label" "commits_net_c$c" "commits/execution" $(vals "$label" "$c" commits_net) ;;
  esac
done < <(rows)
json_write
echo
echo "load after the runs: $(uptime | sed 's/^ *//')"
echo "RESULT lines kept in $RESULTS_DIR/workflow-executions-$stamp.txt"
