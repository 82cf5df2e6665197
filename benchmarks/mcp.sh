#!/usr/bin/env bash
# MCP tools/call: calls/s and p50/p99 of a trivial tool through Nexus's MCP endpoint beside the reference server
# @modelcontextprotocol/server-everything, on one machine, in one run, with one driver (scripts/mcp/bench.mjs: the
# official TypeScript client, each of C sessions calling back-to-back, closed loop):
#   - server-everything (pinned in scripts/mcp/package.json), streamable HTTP, started here on 127.0.0.1:39100-39149
#     and stopped at the end; its `echo` tool with {"message": "hi"}. It is the peer: the figures are ratios to it.
#   - Nexus: the running stack at NEXUS_GATEWAY_URL, `/mcp` with `Authorization: Bearer <developer key>`, tool
#     `bench-echo` (benchmarks/nexus/bench-echo.json: one transform node returning its input) with {"message": "hi"}.
#     A benchmark tenant (apiCallsPerMinute 10^9, so no run is throttled while each still pays for the rate-limit
#     step) with a developer key is created with the platform admin key, and deleted at the end.
# Each at C=1 (sequential: latency-bound) and C=8 (throughput). Floor: Nexus >= 1.5x server-everything calls/s at
# each C. Printed, never an exit status. Beside them, MCP ping at C=8 on both: the protocol round trip without a
# tool (a Nexus tool call is a durable execution: two PostgreSQL commits), i.e. what transport and sessions cost.
# Then, when Nexus is measured, the CLI beside curl (hyperfine, Debian package): `scripts/nexus workflow run
# bench-echo --input '{"message":"hi"}' --output json` against curl's POST /api/v1/workflows/bench-echo/executions,
# the same request: what the CLI's start-up adds to one execution.
#
# The machine is shared and has 2 cores: every figure is the median of RUNS rounds. A round runs the measurements
# back to back, every other round in the reverse order (the second of two back-to-back runs pays for the first's
# leftovers: GC, JIT, other tenants of the machine). The driver takes CPU too (driver ms/call in the table): on 2
# cores it can be the ceiling of a fast server, for both targets alike. The 1-minute load average before each run is
# kept with its figures and printed at the start and the end.
#
#   benchmarks/mcp.sh                            (server-everything and Nexus: the stack must be up)
#   TARGETS=everything-only benchmarks/mcp.sh    (server-everything alone, e.g. before Nexus has /mcp)
# Environment: TARGETS (both | everything-only), DURATION (s measured per run, default 10), WARMUP (s unmeasured
# before each, default 3), PREWARM (s unmeasured per measurement once at the start, for the JITs, default 10), RUNS
# (REPS, else 3), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh), THREADS (bench.mjs driver threads, 1), CLI (1; 0 skips hyperfine), CLI_RUNS (20), NEXUS_GATEWAY_URL
# (http://127.0.0.1:8000), NEXUS_STATE_DIR (.nexus: where the stack keeps admin-key), RESULTS_DIR
# (~/.cache/nexus/bench: each run's RESULT lines).
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
TARGETS="${TARGETS:-both}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
PREWARM="${PREWARM:-10}"
RUNS="${RUNS:-${REPS:-3}}"
CLI="${CLI:-1}"
CLI_RUNS="${CLI_RUNS:-20}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
FLOOR=1.5
case "$TARGETS" in both | everything-only) ;; *) echo "TARGETS is both or everything-only, not $TARGETS" >&2; exit 2 ;; esac

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
EVERYTHING_PID=""
PROXY_PID=""
tenant=""
admin_key=""
api_key=""

# load1, field; info, warn, die, ensure_command (basics.sh)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$BENCH/lib/common.sh"
# ensure_mcp_tools, mcp_node22, mcp_start_everything, mcp_stop
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/mcp.sh
source "$ROOT/scripts/lib/mcp.sh"

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local status=$?
  set +e
  mcp_stop "$EVERYTHING_PID"
  if [ -n "$tenant" ]; then
    info "deleting the benchmark tenant"
    curl -s -m 5 -o /dev/null -X DELETE -H "Authorization: Bearer $api_key" "$GATEWAY/api/v1/workflows/bench-echo"
    curl -s -m 5 -o /dev/null -X DELETE -H "Authorization: Bearer $admin_key" "$GATEWAY/api/v1/tenants/$tenant"
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_command curl curl
ensure_command jq jq
ensure_mcp_tools
NODE="$(mcp_node22)"

json_begin mcp "MCP tools/call: Nexus /mcp vs @modelcontextprotocol/server-everything"
info "machine: $(machine_description)"
load_start="$(load1)"

# ---------------------------------------------------------------------------------------------------- set-up
mcp_start_everything "$WORK/everything.log"
info "server-everything (pid $EVERYTHING_PID) at $EVERYTHING_URL"
declare -A URL=([everything]="$EVERYTHING_URL" [everything-ping]="$EVERYTHING_URL") \
  TOOL=([everything]=echo [everything-ping]=@ping) LABEL=([everything]=server-everything \
  [everything-ping]="server-everything ping")
TARGET_NAMES=(everything)
PING_NAMES=(everything-ping)

if [ "$TARGETS" = both ]; then
  curl -fs -m 5 -o /dev/null "$GATEWAY/health" \
    || die "no Nexus stack answers at $GATEWAY (start it with scripts/nexus-local up), or run with TARGETS=everything-only"
  [ -s "$STATE/admin-key" ] || die "no $STATE/admin-key: is the running stack another checkout's? set NEXUS_STATE_DIR"
  admin_key="$(cat "$STATE/admin-key")"
  tenant="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d "{\"name\": \"bench-mcp-$(date +%s)-$RANDOM\", \"quotas\":
      {\"apiCallsPerMinute\": 1000000000, \"executionsPerDay\": 100000000, \"concurrentExecutions\": 1000}}" \
    | jq -r .id)"
  if [ -z "$tenant" ] || [ "$tenant" = null ]; then tenant=""; die "could not create the benchmark tenant"; fi
  api_key="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}' | jq -r .key)"
  if [ -z "$api_key" ] || [ "$api_key" = null ]; then die "could not create the benchmark tenant's API key"; fi
  status="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST "$GATEWAY/api/v1/workflows" \
    -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' -d @"$BENCH/nexus/bench-echo.json")"
  [ "$status" = 201 ] || die "registering bench-echo answered $status: $(cat "$WORK/register.json")"
  # The workflow itself, over REST: a sync execution that completes with its input as output.
  answer="$(curl -s -X POST "$GATEWAY/api/v1/workflows/bench-echo/executions" -H "Authorization: Bearer $api_key" \
    -H 'Content-Type: application/json' -d '{"inputs": {"message": "hi"}}')"
  [ "$(jq -c '[.status, .outputs]' <<<"$answer")" = '["completed",{"message":"hi"}]' ] \
    || die "bench-echo over REST answered: $answer"
  # MCP: a 404 or 405 here means the gateway has no /mcp route yet.
  status="$(curl -s -D "$WORK/mcp.headers" -o "$WORK/mcp.txt" -w '%{http_code}' -X POST "$GATEWAY/mcp" \
    -H "Authorization: Bearer $api_key" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
      "capabilities": {}, "clientInfo": {"name": "benchmarks/mcp.sh", "version": "1"}}}')"
  [ "$status" = 200 ] || die "MCP initialize at $GATEWAY/mcp answered $status: $(head -c 300 "$WORK/mcp.txt")
  (no MCP endpoint yet? TARGETS=everything-only measures server-everything alone)"
  # That probe opened an MCP session: end it, as bench.mjs does with its own.
  mcp_session="$(sed -n 's/^mcp-session-id: *//Ip' "$WORK/mcp.headers" | tr -d '\r')"
  [ -z "$mcp_session" ] || curl -s -m 5 -o /dev/null -X DELETE -H "Authorization: Bearer $api_key" \
    -H "Mcp-Session-Id: $mcp_session" "$GATEWAY/mcp"
  URL[nexus]="$GATEWAY/mcp" TOOL[nexus]=bench-echo LABEL[nexus]=nexus
  URL[nexus-ping]="$GATEWAY/mcp" TOOL[nexus-ping]=@ping LABEL[nexus-ping]="nexus ping"
  TARGET_NAMES+=(nexus)
  PING_NAMES+=(nexus-ping)
fi

# ---------------------------------------------------------------------------------------------------- load
# bench TARGET C SECONDS WARMUP: bench.mjs's JSON line (the key, for Nexus, through the environment, not argv)
bench() {
  local auth=""
  [ "${1%-ping}" = nexus ] && auth="Bearer $api_key"
  MCP_AUTHORIZATION="$auth" "$NODE" "$MCP_DIR/bench.mjs" --url "${URL[$1]}" --tool "${TOOL[$1]}" \
    --args '{"message":"hi"}' --concurrency "$2" --duration "$3" --warmup "$4" --threads "${THREADS:-1}"
}

# run ROUND NAME (TARGET-cC): WARMUP unmeasured, DURATION measured; one RESULT line, kept and shown
run() {
  local target=${2%-c*} c=${2##*-c} load out line
  load="$(load1)"
  out="$(bench "$target" "$c" "$DURATION" "$WARMUP")" || die "bench.mjs failed for $2"
  line="RESULT round=$1 name=$2 $(jq -r '"rps=\(.calls_per_s) p50=\(.p50_ms) p99=\(.p99_ms) calls=\(.calls)" +
    " errors=\(.errors) driver_ms=\(.driver_cpu_ms_per_call)"' <<<"$out") load=$load"
  echo "$line" >>"$RESULTS"
  info "$line"
}

ORDER=()
for c in 1 8; do for target in "${TARGET_NAMES[@]}"; do ORDER+=("$target-c$c"); done; done
# MCP ping at C=8: the protocol round trip alone, without the tool (a Nexus tool runs a durable execution).
for target in "${PING_NAMES[@]}"; do ORDER+=("$target-c8"); done
if [ "$PREWARM" -gt 0 ]; then
  for name in "${ORDER[@]}"; do
    info "$name: ${PREWARM}s unmeasured warm-up"
    bench "${name%-c*}" "${name##*-c}" "$PREWARM" 0 >/dev/null || die "bench.mjs failed for $name"
  done
fi
for ((round = 1; round <= RUNS; round++)); do
  order=("${ORDER[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((j = ${#ORDER[@]} - 1; j >= 0; j--)); do order+=("${ORDER[$j]}"); done
  fi
  info "round $round of $RUNS: ${order[*]}"
  for name in "${order[@]}"; do run "$round" "$name"; done
done
mcp_stop "$EVERYTHING_PID"
EVERYTHING_PID=""

# ---------------------------------------------------------------------------------------------------- CLI
cli_report=""
if [ "$TARGETS" = both ] && [ "$CLI" != 0 ]; then
  if [ ! -f "$ROOT/cli/target/nexus-cli.jar" ]; then
    cli_report="CLI: skipped, cli/target/nexus-cli.jar is not built (mvn -q -pl cli -am package -DskipTests)"
  else
    ensure_command hyperfine hyperfine
    # The key stays out of argv: the CLI reads NEXUS_API_KEY, curl reads the header from a file (-H @file).
    printf 'Authorization: Bearer %s\n' "$api_key" >"$WORK/auth"
    info "hyperfine: the CLI beside curl, $CLI_RUNS runs each after 3 unmeasured"
    NEXUS_URL="$GATEWAY" NEXUS_API_KEY="$api_key" hyperfine -N -w 3 -r "$CLI_RUNS" --style basic \
      --export-json "$WORK/cli.json" \
      -n "nexus workflow run" "$ROOT/scripts/nexus workflow run bench-echo --input '{\"message\":\"hi\"}' --output json" \
      -n "curl POST executions" "curl -fsS -o /dev/null -X POST -H @$WORK/auth -H Content-Type:application/json \
        -d '{\"inputs\":{\"message\":\"hi\"}}' $GATEWAY/api/v1/workflows/bench-echo/executions" >&2
    cli_report="$(jq -r '.results[] | "\(.command): median \(.median * 1000 | floor) ms, mean \(.mean * 1000 | floor) ± \(.stddev * 1000 | floor) ms"' \
      "$WORK/cli.json")
CLI / curl (medians): $(jq -r '(.results[0].median / .results[1].median * 100 | round / 100 | tostring) + "x"' "$WORK/cli.json")"
    jq -c '.results[] | {command, median, mean, stddev}' "$WORK/cli.json" | sed 's/^/RESULT cli /' >>"$RESULTS"
  fi
fi
load_end="$(load1)"

mkdir -p "$RESULTS_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp "$RESULTS" "$RESULTS_DIR/mcp-$stamp.txt"

# ---------------------------------------------------------------------------------------------------- report
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# med NAME FIELD: the median of FIELD over the rounds of NAME
med() { grep " name=$1 " "$RESULTS" | while read -r l; do field "$l" "$2"; done | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "MCP tools/call: median of $RUNS round(s), ${DURATION}s measured per run after ${WARMUP}s unmeasured (every other"
echo "round in reverse order), one session per concurrent caller, $(nproc) cores shared by the driver, the servers and"
echo "anything else"
printf '%-26s %9s %9s %9s %8s %15s\n' run "calls/s" "p50 ms" "p99 ms" errors "driver ms/call"
for c in 1 8; do
  targets=("${TARGET_NAMES[@]}")
  [ "$c" = 8 ] && targets+=("${PING_NAMES[@]}")
  for target in "${targets[@]}"; do
    name="$target-c$c"
    printf '%-26s %9.1f %9.3f %9.3f %8s %15s\n' "${LABEL[$target]} C=$c" "$(med "$name" rps)" "$(med "$name" p50)" \
      "$(med "$name" p99)" "$(grep " name=$name " "$RESULTS" | while read -r l; do field "$l" errors; done \
        | awk '{ n += $1 } END { print n + 0 }')" "$(med "$name" driver_ms)"
  done
done
echo "(calls/s: successful calls only; errors: thrown calls and isError results, summed over the rounds; driver"
echo " ms/call: CPU of bench.mjs per call)"
echo
if [ "$TARGETS" = both ]; then
  for c in 1 8; do
    r="$(ratio "$(med nexus-c$c rps)" "$(med everything-c$c rps)")"
    printf 'nexus / server-everything calls/s at C=%s: %sx (floor %sx): %s\n' "$c" "$r" "$FLOOR" \
      "$(awk -v r="$r" -v f="$FLOOR" 'BEGIN { print (r + 0 >= f ? "ok" : "BELOW THE FLOOR") }')"
  done
  r="$(ratio "$(med nexus-ping-c8 rps)" "$(med everything-ping-c8 rps)")"
  printf 'nexus / server-everything MCP ping/s at C=8: %sx (the transport, sessions and gateway without a tool)\n' "$r"
  [ -z "$cli_report" ] || printf '\n%s\n' "$cli_report"
else
  echo "Nexus not measured (TARGETS=everything-only): no ratio"
fi
echo
echo "load average (1 min, $(nproc) cores): $load_start at the start, $load_end at the end; before each run: see the RESULT lines"
echo "RESULT lines kept in $RESULTS_DIR/mcp-$stamp.txt"

# ---------------------------------------------------------------------------------------------------- JSON
vals() { grep " name=$1 " "$RESULTS" | while read -r l; do field "$l" "$2"; done; }
round_ratios() { # NAME_A NAME_B: per round, A's calls/s / B's
  local r
  for ((r = 1; r <= RUNS; r++)); do
    awk -v a="$(field "$(grep "round=$r name=$1 " "$RESULTS")" rps)" \
      -v b="$(field "$(grep "round=$r name=$2 " "$RESULTS")" rps)" 'BEGIN { if (b > 0) printf "%.4f\n", a / b }'
  done
}
json_setting reps "$RUNS"
json_setting duration_s "$DURATION"
json_setting warmup_s "$WARMUP"
json_setting targets "$TARGETS"
json_subject server-everything peer "@modelcontextprotocol/server-everything $(jq -r '.dependencies["@modelcontextprotocol/server-everything"] // empty' "$MCP_DIR/package.json" 2>/dev/null), echo tool, streamable HTTP"
[ "$TARGETS" = both ] && json_subject nexus nexus "Nexus gateway /mcp, tool bench-echo (a durable execution)"
# shellcheck disable=SC2046 # lists of numbers
for name in "${ORDER[@]}"; do
  target="${name%-c*}"
  subject=nexus
  case "$target" in everything*) subject=server-everything ;; esac
  metric="tools_call"
  case "$target" in *-ping) metric=ping ;; esac
  c="${name##*-c}"
  json_figure "$subject" "${metric}_per_s_c$c" "calls/s" $(vals "$name" rps)
  json_figure "$subject" "${metric}_p50_c$c" ms $(vals "$name" p50)
  json_figure "$subject" "${metric}_p99_c$c" ms $(vals "$name" p99)
done
if [ "$TARGETS" = both ]; then
  for c in 1 8; do
    json_ratio "nexus/server-everything calls/s, C=$c" $(round_ratios "nexus-c$c" "everything-c$c")
    r="$(ratio "$(med "nexus-c$c" rps)" "$(med "everything-c$c" rps)")"
    json_target "nexus / server-everything calls/s at C=$c (floor)" "$r" ">=" "$FLOOR" \
      "$(pass_json "$(check_target "$r" ">=" "$FLOOR")")" "ratio of the medians over $RUNS rounds"
  done
  json_ratio "nexus/server-everything MCP ping/s, C=8" $(round_ratios nexus-ping-c8 everything-ping-c8)
  if [ -f "$WORK/cli.json" ]; then
    json_figure nexus cli_workflow_run_median ms "$(jq '.results[0].median * 1000' "$WORK/cli.json")"
    json_figure nexus curl_post_execution_median ms "$(jq '.results[1].median * 1000' "$WORK/cli.json")"
  fi
fi
json_write
