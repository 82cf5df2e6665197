#!/usr/bin/env bash
# Async workflow executions: Nexus beside Temporal's in-process test service, on this machine, in one run.
#
# What is measured: executions/s, p50 and p99 of a 3-step workflow (double -> inc -> shape: result = 2x + 1,
# big = result > 10) started asynchronously, and its completion awaited, by N closed-loop clients (N = 1 and 16),
# plus one "open" row per target: OPEN_EXECUTIONS executions started as fast as allowed by OPEN_CONCURRENCY threads.
#   - Nexus (benchmarks/nexus/bench-three-steps.json, 3 transform nodes), direct to workflow-service (:8082, signed
#     X-Nexus-Identity) and through the gateway (:8000, API key), by benchmarks/loadgen/WorkflowLoad.java --async:
#     POST /api/v1/workflows/bench-three-steps/executions {"inputs": {"x": x}, "mode": "async"} -> 202 + executionId,
#     then GET /api/v1/executions/{id} at once and every POLL_INTERVAL_MS until terminal. Latency = start request to
#     the GET that saw it completed; the mean number of GETs per execution is printed. Nexus keeps each execution's
#     history durably in PostgreSQL (its transform nodes are pure steps, written with the end: two commits a run).
#   - Temporal (io.temporal:temporal-testing 1.38.0 from Maven Central, benchmarks/temporal/, built here with Maven):
#     TestWorkflowEnvironment, the in-process test service (in memory, time skipping off: real time), one worker with
#     default options, and the load generator, all in one JVM. The same workflow in two variants, both measured:
#     three activities ("temporal-activities": each step a durable step of the history, the fair equivalent of three
#     durable steps) and three local activities ("temporal-local": run inside the workflow task and recorded with it,
#     closer to Nexus's pure transform nodes). A client starts each execution with WorkflowClient.start (returns once
#     the server accepted it) and waits for the result (WorkflowStub.getResult: a long poll of the history, no
#     interval). Ratios are taken to the faster variant, and to each.
#   Open rows: OPEN_CONCURRENCY threads start OPEN_EXECUTIONS executions back to back while at most OPEN_MAX_INFLIGHT
#   are unfinished; Nexus: as many other threads poll each unfinished one every OPEN_POLL_INTERVAL_MS, and a 429 on a
#   start waits its Retry-After (counted as throttled); Temporal: getResultAsync. Rate = completed executions /
#   (last observed completion - first start); latency includes the queueing. No warm-up of its own (the closed rows and
#   PREWARM come first).
# Every execution is checked (completed, result == 2x + 1, big == result > 10); anything else counts as an error.
#
# Also reported for Nexus: PostgreSQL commits per execution in database workflow_service (as in
# workflow-executions.sh: xact_commit before and after each run, 11 s after it, divided by every execution of the run,
# warm-up included; the idle background rate is shown subtracted). xact_commit counts read-only transactions too, so
# the status GETs add to it (each reads the execution and its steps: two autocommit statements).
#
# The machine has 2 cores shared by the load generators, the servers and anything else running; the 1-minute load
# average before and after each row, and the CPU share that everything else used during it ("others"), are printed
# beside its figures. CPU time per execution (warm-up included): "cpu ms" = Nexus's gateway and workflow-service JVMs
# (the processes listening on their ports), or Temporal's whole JVM (test server, worker and load generator);
# "pg cpu" = all PostgreSQL processes (whole cluster); "all cpu" = Nexus's servers + PostgreSQL + its load generator's
# JVM (its start-up left out), against Temporal's JVM. Kafka and Redis (Nexus's outbox events, the gateway's rate
# limit) count in "others".
#
#   benchmarks/async-executions.sh                  everything
#   benchmarks/async-executions.sh --temporal-only  Temporal only (no Nexus stack needed)
#   benchmarks/async-executions.sh --nexus-only     Nexus only; ratios use the last --temporal-only/full run's
#                                                   Temporal figures if there are any in RESULTS_DIR
# Each side is first warmed up once, unmeasured, for PREWARM seconds per variant/path at concurrency 4 (JIT), then
# every closed row has its own WARMUP before its measured DURATION. Every row is measured REPS times (one repetition of
# all rows after the other, per side); the table gives the median with min and max. Ratios to Temporal are taken per
# repetition (Nexus's k-th run against Temporal's k-th, the faster variant of that repetition), then the median.
# Environment: REPS (3), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh), WARMUP (s per row,
#   default 15), DURATION (s measured per row, default 30), CONCURRENCIES ("1 16"),
#   PREWARM (s, default 30), POLL_INTERVAL_MS (Nexus closed loop, 2), OPEN_EXECUTIONS (per open row, 2000; 0: no open
#   rows), OPEN_CONCURRENCY (16), OPEN_MAX_INFLIGHT (1000), OPEN_POLL_INTERVAL_MS (10), NEXUS_PATHS ("direct gateway",
#   either or both), TEMPORAL_VARIANTS ("activities local", either or both), TEMPORAL_HEAP (2g),
#   RESULTS_DIR (~/.cache/nexus/bench: the RESULT lines of each run are kept there), NEXUS_STATE_DIR (.nexus),
#   NEXUS_GATEWAY_URL (http://127.0.0.1:8000), NEXUS_DIRECT_URL (workflow-service, http://127.0.0.1:8082).
# The Nexus stack is used as found; if it is down, scripts/nexus-local up starts it and it is stopped again at the end.
# The Temporal JVM is started here and stopped at the end (only the process started here).
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
MODE=all
for arg in "$@"; do
  case "$arg" in
    --temporal-only) MODE=temporal ;;
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
OPEN_EXECUTIONS="${OPEN_EXECUTIONS:-2000}"
OPEN_CONCURRENCY="${OPEN_CONCURRENCY:-16}"
OPEN_MAX_INFLIGHT="${OPEN_MAX_INFLIGHT:-1000}"
OPEN_POLL_INTERVAL_MS="${OPEN_POLL_INTERVAL_MS:-10}"
OPEN_TIMEOUT_MS=300000 # an execution unfinished this long after its start is an error (open rows; Temporal closed rows too)
NEXUS_PATHS="${NEXUS_PATHS:-direct gateway}"
TEMPORAL_VARIANTS="${TEMPORAL_VARIANTS:-activities local}"
TEMPORAL_HEAP="${TEMPORAL_HEAP:-2g}"
TEMPORAL_POM="$BENCH/temporal/pom.xml"
TEMPORAL_JAR="$BENCH/temporal/target/temporal-load.jar"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT="${NEXUS_DIRECT_URL:-http://127.0.0.1:8082}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
NEXUS_WORKFLOW=bench-three-steps
PG=(psql -h 127.0.0.1 -U postgres -d postgres -XAt)

for t in $TEMPORAL_VARIANTS; do
  case "$t" in activities | local) ;; *) echo "TEMPORAL_VARIANTS: activities and/or local, not $t" >&2; exit 2 ;; esac
done
for p in $NEXUS_PATHS; do
  case "$p" in direct | gateway) ;; *) echo "NEXUS_PATHS: direct and/or gateway, not $p" >&2; exit 2 ;; esac
done
# The bench tenant's concurrentExecutions quota: enough for every open row's unfinished executions.
TENANT_CONCURRENT=$((OPEN_MAX_INFLIGHT > 1000 ? OPEN_MAX_INFLIGHT : 1000))

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
temporal_pid=""
nexus_started_here=0

source "$BENCH/lib/common.sh"

cleanup() {
  local status=$?
  if [ -n "$temporal_pid" ] && kill -0 "$temporal_pid" 2>/dev/null; then
    info "stopping the Temporal benchmark JVM (pid $temporal_pid)"
    kill "$temporal_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$temporal_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$temporal_pid" 2>/dev/null || true
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

SERVER_PIDS="" # the servers whose CPU run_load counts
REP=1          # the repetition run_load tags its RESULT line with

# ---------------------------------------------------------------------------------------------------- Temporal
build_temporal() {
  # Rebuilt only when the jar is missing or older than its sources.
  if [ -s "$TEMPORAL_JAR" ] && [ -z "$(find "$TEMPORAL_POM" "$BENCH/temporal/src" -newer "$TEMPORAL_JAR" -type f)" ]; then
    return
  fi
  ensure_command mvn maven
  info "building benchmarks/temporal (io.temporal:temporal-testing from Maven Central, cached in ~/.m2)"
  mvn -q -B -f "$TEMPORAL_POM" package >"$WORK/temporal-build.log" 2>&1 \
    || { tail -40 "$WORK/temporal-build.log" >&2; die "could not build $TEMPORAL_POM"; }
  [ -s "$TEMPORAL_JAR" ] || die "no $TEMPORAL_JAR after the build"
}

run_temporal() {
  build_temporal
  local variants
  variants="$(tr ' ' ',' <<<"$TEMPORAL_VARIANTS" | sed 's/,,*/,/g; s/^,//; s/,$//')"
  info "Temporal (in-process test service, variants: $TEMPORAL_VARIANTS): one JVM runs every row; RESULT lines follow"
  java "-Xms$TEMPORAL_HEAP" "-Xmx$TEMPORAL_HEAP" -jar "$TEMPORAL_JAR" --variants "$variants" \
    --concurrencies "$CONCURRENCIES" --prewarm "$PREWARM" --warmup "$WARMUP" --duration "$DURATION" \
    --open "$OPEN_EXECUTIONS" --open-concurrency "$OPEN_CONCURRENCY" --max-inflight "$OPEN_MAX_INFLIGHT" \
    --timeout-ms "$OPEN_TIMEOUT_MS" --clk-tck "$CLK_TCK" --reps "$REPS" >"$WORK/temporal.out" &
  temporal_pid=$!
  local status=0
  wait "$temporal_pid" || status=$?
  temporal_pid=""
  # The k-th line of a row is its k-th repetition.
  grep '^RESULT ' "$WORK/temporal.out" | awk '{ k = ""; for (i = 1; i <= NF; i++) if ($i ~ /^(label|concurrency|mode)=/) k = k " " $i
    print $0 " rep=" (++n[k]) }' | tee -a "$RESULTS" || true
  [ "$status" -eq 0 ] || die "the Temporal benchmark failed (exit $status): a row measured no successful execution"
}

# ---------------------------------------------------------------------------------------------------- Nexus
# The load generator, compiled once (the source launcher would spend seconds of CPU compiling it before every run).
LOADGEN=(java -XX:+UseSerialGC -Xmx256m -cp "$WORK/loadgen" WorkflowLoad)
compile_loadgen() {
  mkdir -p "$WORK/loadgen"
  javac -d "$WORK/loadgen" "$BENCH/loadgen/WorkflowLoad.java"
}

# run_load LABEL CONCURRENCY DESCRIPTION ARGS...: one loadgen run; appends its RESULT line (with the load average, the
# servers' and PostgreSQL's CPU per execution, others, all_cpu_ms) to $RESULTS.
# shellcheck disable=SC2086 # $SERVER_PIDS and $pgs are lists of pids
run_load() {
  local label=$1 c=$2 what=$3 out load s0 s1 p0 p1 pg0 pg1 m0 m1 t0 t1 pgs total others cpu pgcpu
  shift 3
  load="$(load1)"
  info "$label, concurrency $c: $what (load average $load)"
  pgs="$(pg_pids)"
  s0="$(cpu_ticks $SERVER_PIDS)"; pg0="$(cpu_by_pid $pgs)"; m0="$(busy_ticks)"; t0="$(date +%s.%N)"
  out="$("${LOADGEN[@]}" --label "$label" --concurrency "$c" --warmup "$WARMUP" --duration "$DURATION" "$@" \
    | grep '^RESULT ')" || true
  s1="$(cpu_ticks $SERVER_PIDS)"; pg1="$(cpu_by_pid $pgs)"; p0=0; p1="$(cpu_delta "$pg0" "$pg1")"; m1="$(busy_ticks)"; t1="$(date +%s.%N)"
  if [ -z "$out" ] || [ "$(field "$out" execs)" -eq 0 ]; then
    die "$label at concurrency $c: no successful execution was measured (see the errors above)"
  fi
  total="$(field "$out" total)"
  cpu="$(awk -v a="$s0" -v b="$s1" -v n="$total" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) * 1000 / hz / n }')"
  pgcpu="$(awk -v a="$p0" -v b="$p1" -v n="$total" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) * 1000 / hz / n }')"
  out="$out load=$load/$(load1) cpu_ms=$cpu pg_cpu_ms=$pgcpu"
  out="$out all_cpu_ms=$(awk -v s="$cpu" -v p="$pgcpu" -v cl="$(field "$out" client_run_cpu_ms)" -v n="$total" \
    'BEGIN { printf "%.2f", s + p + cl / n }')"
  # What everything else on the machine used meanwhile, in % of all cores: busy time less servers, PostgreSQL and
  # the load generator.
  others="$(awk -v m="$((m1 - m0))" -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v cl="$(field "$out" client_cpu_ms)" \
    -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" -v n="$(nproc)" \
    'BEGIN { v = ((m - s - p) / hz - cl / 1000) / ((t1 - t0) * n) * 100; if (v < 0) v = 0; printf "%.0f", v }')"
  out="$out others=$others% rep=$REP"
  echo "$out" >>"$RESULTS"
  echo "$out"
}

# prewarm LABEL ARGS...: an unmeasured run at concurrency 4 for PREWARM seconds
prewarm() {
  local label=$1
  shift
  [ "$PREWARM" -gt 0 ] || return 0
  info "$label: ${PREWARM}s unmeasured warm-up at concurrency 4"
  "${LOADGEN[@]}" --label "$label" --concurrency 4 --warmup 0 --duration "$PREWARM" "$@" >/dev/null 2>&1 || true
}

# await_first URL AUTH ID: polls one execution until it ends; it must complete with result 13.
await_first() {
  local url=$1 auth=$2 id=$3 status
  for _ in $(seq 1 100); do
    status="$(curl -s -o "$WORK/first.json" -w '%{http_code}' "$url/api/v1/executions/$id" -H "$auth")"
    [ "$status" = 200 ] || die "GET $url/api/v1/executions/$id answered $status: $(cat "$WORK/first.json")"
    jq -e '.status | IN("pending", "running", "waiting")' "$WORK/first.json" >/dev/null || break
    sleep 0.1
  done
  jq -e '.status == "completed" and ((.outputs.result // .outputs.shape.result) == 13) and
      ((.outputs.big // .outputs.shape.big) == true)' "$WORK/first.json" >/dev/null \
    || die "the first async execution via $url did not complete as expected: $(jq -c '{status, outputs, error}' "$WORK/first.json")"
}

setup_nexus() {
  local status
  bench_tenant bench-async "$TENANT_CONCURRENT"

  # One async execution each way by hand: 202 + executionId, then completed with result 13.
  local p id
  for p in $NEXUS_PATHS; do
    status="$(curl -s -o "$WORK/start.json" -w '%{http_code}' -X POST \
      "$(path_url "$p")/api/v1/workflows/$NEXUS_WORKFLOW/executions" -H "$(path_auth "$p")" \
      -H 'Content-Type: application/json' -d '{"inputs": {"x": 6}, "mode": "async"}')"
    id="$(jq -r '.executionId // empty' "$WORK/start.json" 2>/dev/null || true)"
    if [ "$status" != 202 ] || [ -z "$id" ]; then
      die "first async start via $(path_url "$p") answered $status: $(cat "$WORK/start.json")"
    fi
    await_first "$(path_url "$p")" "$(path_auth "$p")" "$id"
  done
}

path_url() { if [ "$1" = gateway ]; then echo "$GATEWAY"; else echo "$DIRECT"; fi; }
path_auth() { if [ "$1" = gateway ]; then echo "Authorization: Bearer $api_key"; else echo "X-Nexus-Identity: $(direct_identity)"; fi; }

run_nexus() {
  start_nexus
  compile_loadgen
  setup_nexus
  local p c
  for p in $NEXUS_PATHS; do
    prewarm "nexus-$p" --target nexus --async --workflow "$NEXUS_WORKFLOW" --url "$(path_url "$p")" \
      --header "$(path_auth "$p")" --poll-interval-ms "$POLL_INTERVAL_MS"
  done
  info "background commits in workflow_service: 10 s idle"
  sleep "$STATS_FLUSH_WAIT"
  local b0 b1
  b0="$(commits)"; sleep 10; b1="$(commits)"
  background_rate="$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", (b - a) / 10 }')"
  SERVER_PIDS="$(port_holder "${GATEWAY##*:}") $(port_holder "${DIRECT##*:}")"
  [ -n "${SERVER_PIDS// /}" ] || info "cannot tell the gateway's and workflow-service's pids: no server CPU figures"
  for ((REP = 1; REP <= REPS; REP++)); do
    for c in $CONCURRENCIES; do
      for p in $NEXUS_PATHS; do
        nexus_run "nexus-$p" "$c" "${WARMUP}s warm-up + ${DURATION}s measured" --url "$(path_url "$p")" \
          --header "$(path_auth "$p")" --poll-interval-ms "$POLL_INTERVAL_MS"
      done
    done
    if [ "$OPEN_EXECUTIONS" -gt 0 ]; then
      for p in $NEXUS_PATHS; do
        nexus_run "nexus-$p" "$OPEN_CONCURRENCY" \
          "open: $OPEN_EXECUTIONS executions, at most $OPEN_MAX_INFLIGHT unfinished" --url "$(path_url "$p")" \
          --header "$(path_auth "$p")" --open "$OPEN_EXECUTIONS" --max-inflight "$OPEN_MAX_INFLIGHT" \
          --poll-interval-ms "$OPEN_POLL_INTERVAL_MS" --timeout-ms "$OPEN_TIMEOUT_MS"
      done
    fi
  done
}

# nexus_run LABEL CONCURRENCY DESCRIPTION ARGS...: one run, with commits per execution appended to its RESULT line
nexus_run() {
  local label=$1 c=$2 what=$3 before after t0 t1 line
  shift 3
  before="$(commits)"; t0=$(date +%s.%N)
  line="$(run_load "$label" "$c" "$what" --target nexus --async --workflow "$NEXUS_WORKFLOW" "$@")"
  sleep "$STATS_FLUSH_WAIT"
  after="$(commits)"; t1=$(date +%s.%N)
  append_commits "$before" "$after" "$t0" "$t1" "$line"
}

# ---------------------------------------------------------------------------------------------------- run
json_begin async-executions "Async executions of a 3-step workflow: Nexus (direct, gateway) vs Temporal's test service"
info "machine: $(machine_description)"
if [ "$MODE" != nexus ]; then run_temporal; fi
if [ "$MODE" != temporal ]; then run_nexus; fi

mkdir -p "$RESULTS_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp "$RESULTS" "$RESULTS_DIR/async-executions-$stamp.txt"
temporal_source="this run"
if [ "$MODE" = nexus ]; then
  previous="$(grep -l 'target=temporal' "$RESULTS_DIR"/async-executions-*.txt 2>/dev/null | sort | tail -1 || true)"
  if [ -n "$previous" ]; then
    grep 'target=temporal' "$previous" >>"$RESULTS"
    temporal_source="$(basename "$previous")"
  fi
fi

# mode_of LINE: closed or open
mode_of() { if [ "$(field "$1" mode)" = open ]; then echo open; else echo closed; fi; }

# rows: "label mode concurrency" of each row, in the order of their first run
rows() { while read -r l; do echo "$(field "$l" label) $(mode_of "$l") $(field "$l" concurrency)"; done <"$RESULTS" \
  | awk '!seen[$0]++'; }
# lines LABEL MODE CONCURRENCY: that row's RESULT lines
lines() { grep "label=$1 " "$RESULTS" | grep " concurrency=$3 " | while read -r l; do
  [ "$(mode_of "$l")" = "$2" ] && echo "$l"; done; return 0; }
# vals LABEL MODE CONCURRENCY FIELD: FIELD of that row's runs, one a line
vals() { lines "$1" "$2" "$3" | while read -r l; do field "$l" "$4"; done; }
echo
echo "Async executions of a 3-step workflow: closed-loop rows ${DURATION}s measured after ${WARMUP}s warm-up; open rows"
echo "$OPEN_EXECUTIONS executions started by $OPEN_CONCURRENCY threads, at most $OPEN_MAX_INFLIGHT unfinished; median (min–max)"
echo "of $REPS repetition(s) ($(nproc) cores shared by the load generators, the servers and whatever else runs)"
printf '%-20s %-6s %4s %20s %20s %22s %6s %11s %6s %7s %7s %7s %6s %7s\n' target mode conc exec/s "p50 ms" "p99 ms" \
  errors load others "cpu ms" "pg cpu" "all cpu" polls commits
while read -r label m c; do
  all="$(vals "$label" "$m" "$c" all_cpu_ms)"
  printf '%-20s %-6s %4s %20s %20s %22s %6s %11s %6s %7s %7s %7s %6s %7s\n' "$label" "$m" "$c" \
    "$(mmm 1 $(vals "$label" "$m" "$c" rate))" "$(mmm 2 $(vals "$label" "$m" "$c" p50))" \
    "$(mmm 2 $(vals "$label" "$m" "$c" p99))" "$(vals "$label" "$m" "$c" errors | awk '{ n += $1 } END { print n + 0 }')" \
    "$(vals "$label" "$m" "$c" load | sed -n '1s|/.*||p;$s|.*/||p' | paste -sd/ -)" \
    "$(median_of $(vals "$label" "$m" "$c" others | tr -d %))%" "$(median_of $(vals "$label" "$m" "$c" cpu_ms))" \
    "$(median_of $(vals "$label" "$m" "$c" pg_cpu_ms))" \
    "$(if [ -n "$all" ]; then median_of $all; else median_of $(vals "$label" "$m" "$c" cpu_ms); fi)" \
    "$(case "$label" in nexus-*) median_of $(vals "$label" "$m" "$c" polls) ;; esac)" \
    "$(median_of $(vals "$label" "$m" "$c" commits))"
done < <(rows)
echo "errors: summed over the repetitions; load: before the first and after the last run of the row; the rest: medians."
echo "open rows: exec/s = completed executions / (last observed completion - first start); p50/p99 include queueing."
echo "others = CPU that the rest of the machine used during the row, in % of all cores (busy time less the servers,"
echo "  PostgreSQL and the load generator for Nexus rows, less the Temporal JVM for Temporal rows: Kafka, Redis and the"
echo "  other Nexus services count as others); load = 1-minute load average, benchmark threads included."
echo "cpu ms = CPU time per execution of Nexus's gateway + workflow-service JVMs, or of Temporal's whole JVM (test"
echo "  server, worker and load generator); pg cpu = all PostgreSQL processes (whole cluster); all cpu = Nexus's"
echo "  servers + PostgreSQL + load generator JVM (start-up left out), Temporal's JVM. All include the warm-up."
echo "polls = GET /api/v1/executions/{id} per Nexus execution (closed rows every POLL_INTERVAL_MS=$POLL_INTERVAL_MS, open"
echo "  rows every OPEN_POLL_INTERVAL_MS=$OPEN_POLL_INTERVAL_MS); Temporal waits with one long poll."
if grep -q 'mode=open' "$RESULTS"; then
  echo "open rows, most unfinished executions at once and throttled (429) starts (per repetition):"
  while read -r label m c; do
    [ "$m" = open ] || continue
    echo "  $label: inflight_max=$(vals "$label" open "$c" inflight_max | paste -sd/ -)$(t="$(vals "$label" open "$c" throttled | paste -sd/ -)"; [ -z "$t" ] || echo " throttled=$t")"
  done < <(rows)
fi
[ "$temporal_source" = "this run" ] || echo "Temporal figures from an earlier run: $temporal_source"
if grep -q 'target=nexus' "$RESULTS"; then
  echo "commits = PostgreSQL commits in workflow_service per Nexus execution (warm-up included), all traffic of that"
  echo "database counted (outbox relay and the status GETs' reads too); background while idle: $background_rate commits/s;"
  echo "with that subtracted (medians):"
  while read -r label m c; do
    case "$label" in nexus-*) echo "  $label $m c=$c: $(median_of $(vals "$label" "$m" "$c" commits_net)) commits/execution" ;; esac
  done < <(rows)
fi
# rep_rate LABEL MODE C REP: the rate of that row in repetition REP
rep_rate() { lines "$1" "$2" "$3" | grep -E " rep=$4( |\$)" | head -n 1 | while read -r l; do field "$l" rate; done; }
# ratios LABEL MODE C [TEMPORAL-LABEL]: per repetition, Nexus / Temporal (the faster variant, or the one named)
ratios() {
  local rep n b t
  for ((rep = 1; rep <= REPS; rep++)); do
    n="$(rep_rate "$1" "$2" "$3" "$rep")"
    if [ -n "${4:-}" ]; then b="$(rep_rate "$4" "$2" "$3" "$rep")"
    else b="$(for t in $TEMPORAL_VARIANTS; do rep_rate "temporal-$t" "$2" "$3" "$rep"; done | sort -g | tail -n 1)"; fi
    [ -n "$n" ] && [ -n "$b" ] && awk -v a="$n" -v b="$b" 'BEGIN { if (b > 0) printf "%.3f\n", a / b }'
  done
  return 0
}
if grep -q 'target=nexus' "$RESULTS" && grep -q 'target=temporal' "$RESULTS"; then
  echo
  echo "Ratio Nexus/Temporal, executions/s at the same concurrency and mode (goal >= 2x), per repetition then the median"
  echo "(min–max), to the faster variant and to each:"
  while read -r label m c; do
    case "$label" in nexus-*) ;; *) continue ;; esac
    r="$(ratios "$label" "$m" "$c")"
    [ -n "$r" ] || continue
    # shellcheck disable=SC2086 # lists of numbers
    {
      printf '  %-14s %-6s c=%-3s %sx' "$label" "$m" "$c" "$(mmm 2 $r)"
      for t in $TEMPORAL_VARIANTS; do printf '   temporal-%s: %sx' "$t" "$(mmm 2 $(ratios "$label" "$m" "$c" "temporal-$t"))"; done
      echo
      json_ratio "$label/temporal (faster variant) executions/s, $m c=$c" $r
      v="$(median_of $r)"
      json_target "$label vs Temporal (faster variant), $m c=$c" "$v" ">=" 2.0 "$(pass_json "$(check_target "$v" ">=" 2.0)")" \
        "goal; median of per-repetition ratios $(mmm 2 $r)"
    }
  done < <(rows)
fi
json_setting reps "$REPS"
json_setting warmup_s "$WARMUP"
json_setting duration_s "$DURATION"
json_setting prewarm_s "$PREWARM"
json_setting concurrencies "$CONCURRENCIES"
json_setting open_executions "$OPEN_EXECUTIONS"
json_setting temporal_source "$temporal_source"
for p in $NEXUS_PATHS; do json_subject "nexus-$p" nexus "Nexus $p, async start + status polls, history in PostgreSQL"; done
for t in $TEMPORAL_VARIANTS; do
  json_subject "temporal-$t" peer "Temporal test service (io.temporal:temporal-testing, in memory), three $t"
done
while read -r label m c; do
  json_figure "$label" "exec_per_s_${m}_c$c" "executions/s" $(vals "$label" "$m" "$c" rate)
  json_figure "$label" "p50_${m}_c$c" ms $(vals "$label" "$m" "$c" p50)
  json_figure "$label" "p99_${m}_c$c" ms $(vals "$label" "$m" "$c" p99)
  json_figure "$label" "cpu_${m}_c$c" "ms/execution" $(vals "$label" "$m" "$c" cpu_ms)
done < <(rows)
json_write
echo
echo "load after the runs: $(uptime | sed 's/^ *//')"
echo "RESULT lines kept in $RESULTS_DIR/async-executions-$stamp.txt"
