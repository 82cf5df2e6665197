#!/usr/bin/env bash
# What a sync execution costs as the work grows (issue: performance, "cost as work grows"). On the running stack,
# through the gateway, one dimension at a time from a base case (10 nodes, 1 KiB of input, 1 tenant):
#   - nodes:   a chain of 1, 10 and 50 transform nodes (benchmarks/nexus: generated below; the last node's output is
#              {result: 2x + 1, big: ...}, so the load generator checks every execution as for bench-three-steps)
#   - input:   1 KiB and 256 KiB of inputs (x plus a padding string; 256 KiB is the largest input accepted)
#   - tenants: 1 and 1,000 active tenants (each execution as the next tenant's key, round robin; the 1,000 tenants
#              are made once and kept in $STATE/bench/growth-keys, so later runs reuse them)
# History size (0 and 1,000,000 finished executions) is benchmarks/history-growth.sh.
# Each case: REPS repetitions of WARMUP + DURATION seconds at CONCURRENCY closed-loop clients; executions/s and p99,
# median (min–max), and each case's throughput as a ratio to the base case measured in the same run.
#
#   benchmarks/work-growth.sh
# Environment: REPS (3), WARMUP (5), DURATION (10), CONCURRENCY (16), TENANTS (1000), GATEWAY_URL, RESULT_JSON.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
GATEWAY="${GATEWAY_URL:-http://127.0.0.1:8000}"
REPS="${REPS:-3}"
WARMUP="${WARMUP:-5}"
DURATION="${DURATION:-10}"
CONCURRENCY="${CONCURRENCY:-16}"
TENANTS="${TENANTS:-1000}"
WORK="$(mktemp -d)"
PG=(psql -h 127.0.0.1 -U postgres -d postgres -Atq)
nexus_started_here=0
trap 'rm -rf "$WORK"' EXIT

source "$BENCH/lib/common.sh"
ensure_command curl curl
ensure_command jq jq
ensure_command javac openjdk-17-jdk-headless
start_nexus_stack
json_begin work-growth "Sync executions as the work grows: nodes, input size, active tenants"
for s in REPS WARMUP DURATION CONCURRENCY TENANTS; do json_setting "$s" "${!s}"; done
json_subject nexus nexus "sync executions through the gateway (:8000), one dimension varied at a time from 10 nodes, 1 KiB, 1 tenant"

mkdir -p "$WORK/loadgen"
javac -d "$WORK/loadgen" "$BENCH/loadgen/WorkflowLoad.java"
LOADGEN=(java -XX:+UseSerialGC -Xmx512m -cp "$WORK/loadgen" WorkflowLoad)
ADMIN_KEY="$(cat "$STATE/admin-key")"

# chain N: a workflow of N transform nodes in a line that computes 2x + 1 (name bench-chain-N)
chain() {
  jq -n --argjson n "$1" '
    def node(i): if $n == 1 then {id: "shape", type: "transform",
                   config: {expression: "{\"result\": inputs.x * 2 + 1, \"big\": inputs.x * 2 + 1 > 10}"}}
      elif i == 1 then {id: "n1", type: "transform", config: {expression: "{\"v\": inputs.x * 2 + 1}"}}
      elif i == $n then {id: "shape", type: "transform",
                   config: {expression: "{\"result\": nodes.n\(i - 1).v, \"big\": nodes.n\(i - 1).v > 10}"}}
      else {id: "n\(i)", type: "transform", config: {expression: "{\"v\": nodes.n\(i - 1).v}"}} end;
    def id(i): if i == $n then "shape" else "n\(i)" end;
    {name: "bench-chain-\($n)", description: "Benchmark: \($n) transform nodes in a line (benchmarks/work-growth.sh)",
     inputSchema: {type: "object", properties: {x: {type: "integer"}, pad: {type: "string"}}, required: ["x"]},
     nodes: [range(1; $n + 1) | node(.)],
     edges: [range(1; $n) | {from: id(.), to: id(. + 1)}]}'
}

# tenant NAME: a tenant whose quotas are never reached, with a developer key; prints the key
tenant() {
  local id
  id="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'Content-Type: application/json' -d "{\"name\": \"$1\", \"quotas\": {\"apiCallsPerMinute\": 1000000000,
      \"executionsPerDay\": 100000000, \"concurrentExecutions\": 1000}}" | jq -r .id)"
  curl -fsS -X POST "$GATEWAY/api/v1/tenants/$id/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}' | jq -r .key
}

# register KEY FILE: registers the workflow (a 409 means an earlier run did)
register() {
  local status
  status="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST "$GATEWAY/api/v1/workflows" \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d @"$2")"
  [ "$status" = 201 ] || [ "$status" = 409 ] || die "registering $2 answered $status: $(cat "$WORK/register.json")"
}

for n in 1 10 50; do chain "$n" >"$WORK/chain-$n.json"; done
KEY="$(tenant "bench-growth-$(date +%s)-$RANDOM")"
for n in 1 10 50; do register "$KEY" "$WORK/chain-$n.json"; done

# The active tenants: made once (about three requests each), kept for later runs.
KEYS_FILE="$STATE/bench/growth-keys"
mkdir -p "$(dirname "$KEYS_FILE")"
have="$( [ -f "$KEYS_FILE" ] && wc -l <"$KEYS_FILE" || echo 0)"
if [ "$have" -lt "$TENANTS" ]; then
  info "making $((TENANTS - have)) tenants with the 10-node workflow (kept in $KEYS_FILE)"
  export GATEWAY ADMIN_KEY WORK
  export -f tenant register die info
  seq "$have" "$((TENANTS - 1))" | xargs -P 8 -I{} bash -c \
    'k="$(tenant "bench-growth-tenant-{}-$RANDOM")" && register "$k" "$WORK/chain-10.json" && echo "$k"' \
    >>"$KEYS_FILE"
fi
head -n "$TENANTS" "$KEYS_FILE" >"$WORK/keys"
[ "$(wc -l <"$WORK/keys")" -eq "$TENANTS" ] || die "only $(wc -l <"$WORK/keys") tenant keys in $KEYS_FILE"

# case NAME WORKFLOW ARGS...: REPS runs; records rate and p99 per repetition
declare -A RATES P99S
run_case() {
  local name=$1 workflow=$2 out
  shift 2
  for rep in $(seq 1 "$REPS"); do
    out="$("${LOADGEN[@]}" --target nexus --url "$GATEWAY" --workflow "$workflow" \
      --header "Authorization: Bearer $KEY" --concurrency "$CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION" \
      --label "$name" "$@" 2>"$WORK/loadgen.err" | grep '^RESULT ')" || true
    [ -n "$out" ] && [ "$(field "$out" execs)" -gt 0 ] || die "$name: no execution measured: $(tail -5 "$WORK/loadgen.err")"
    [ "$(field "$out" errors)" -eq 0 ] || warn "$name: $(field "$out" errors) failed executions"
    RATES[$name]="${RATES[$name]:-} $(field "$out" rate)"
    P99S[$name]="${P99S[$name]:-} $(field "$out" p99)"
    info "$name rep $rep: $(field "$out" rate) executions/s, p99 $(field "$out" p99) ms (load $(load1))"
  done
}

PAD_1K=$((1024 - 20))
PAD_256K=$((256 * 1024 - 40)) # the whole inputs object stays under the 256 KiB limit
# Interleaved by repetition would be fairer on a shared machine; one case after another keeps warm-up per case.
run_case base bench-chain-10 --pad-bytes "$PAD_1K"
run_case nodes-1 bench-chain-1 --pad-bytes "$PAD_1K"
run_case nodes-50 bench-chain-50 --pad-bytes "$PAD_1K"
run_case input-256k bench-chain-10 --pad-bytes "$PAD_256K"
run_case tenants-$TENANTS bench-chain-10 --pad-bytes "$PAD_1K" --keys-file "$WORK/keys"

echo
echo "Sync executions through the gateway, concurrency $CONCURRENCY, median (min–max) of $REPS; $(machine_description)"
printf '%-16s %-28s %-28s %s\n' case executions/s "p99 ms" "throughput / base"
base_rate="$(median_of ${RATES[base]})"
for name in base nodes-1 nodes-50 input-256k "tenants-$TENANTS"; do
  # shellcheck disable=SC2086 # lists of values
  ratios="$(for r in ${RATES[$name]}; do awk -v r="$r" -v b="$base_rate" 'BEGIN { printf "%.3f\n", r / b }'; done)"
  # shellcheck disable=SC2086
  printf '%-16s %-28s %-28s %s\n' "$name" "$(mmm 1 ${RATES[$name]})" "$(mmm 1 ${P99S[$name]})" "$(mmm 2 $ratios)"
  # shellcheck disable=SC2086
  json_figure "$name" executions_per_second "1/s" ${RATES[$name]}
  # shellcheck disable=SC2086
  json_figure "$name" p99 ms ${P99S[$name]}
  # shellcheck disable=SC2086
  json_ratio "$name/base throughput" $ratios
done
json_note "base: 10 nodes, 1 KiB input, 1 tenant; each other case varies one of them"
json_write
