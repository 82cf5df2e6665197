#!/usr/bin/env bash
# Sessions (issue: session GET and PATCH per second and p50/p99 at concurrency 50, direct and through the gateway,
# beside redis-benchmark in the same run). On one machine, in one run, at CONNECTIONS (50) keep-alive connections:
#   1. GET /api/v1/sessions/{id} (a use: one Redis script records the channel and slides the expiry) and
#      PATCH /api/v1/sessions/{id} {"data": {"k<n mod 8>": n}} (an RFC 7386 merge of one member with a new value, no
#      If-Match; PostgreSQL gets the write-behind about once a second), each
#        - straight to session-service (:8083, with an X-Nexus-Identity pre-signed here with the internal key)
#        - through the gateway (:8000, Authorization: Bearer <developer key>: key lookup, rate limit in Redis,
#          identity signing, routing)
#   2. through the gateway, the same GET with X-Nexus-Session: <the id it reads> beside the GET without it: what the
#      gateway's session step (a pipelined Redis step on every request that carries the header) adds to p99. The
#      script probes which gateway it measures: one with that step answers 404 to an unknown session on any route;
#      one without only checks the header's format, and then the "added" figures are noise.
#   3. redis-benchmark against the same Redis (127.0.0.1:6379), -c CONNECTIONS: the requests `-t get,set` sends
#      (SET <key> xxx, GET <key>, random keys, no pipelining), as explicit commands so that the keys can carry a
#      prefix: nexus-bench-sessions:key:__rand_int__ (-r 10000) in database 12 (--dbnum), apart from Nexus's keys
#      (database 0) and the other benchmarks'. -n is sized to DURATION from a calibration run at the start; the keys
#      are deleted at the end. It is the ceiling: the floors below are ratios to its GET.
# HTTP load: wrk (closed loop, 2 threads, so its p99 misses what a stall would have delayed: coordinated omission)
# with a Lua script that cycles through SESSIONS (50) sessions of one benchmark tenant. The tenant is created with the
# platform admin key with apiCallsPerMinute 10^9 (no run is throttled, each still pays for the rate-limit step) and
# concurrentSessions 100,000 (above SESSIONS); its sessions are closed and the tenant deleted at the end.
# Floors (issue): gateway GET >= 0.08x redis-benchmark GET; direct GET >= 0.25x. Printed, never an exit status.
#
# The machine is shared and has 2 cores: every figure is the median of RUNS rounds. A round runs all seven
# measurements back to back (redis SET+GET, direct GET, direct PATCH, gateway GET, gateway GET + X-Nexus-Session,
# gateway PATCH), every other round in the reverse order: the second of two back-to-back runs pays for the first's
# leftovers (GC, the write-behind, other tenants of the machine), so an even RUNS puts each of a pair first as often
# as second. "added" for X-Nexus-Session is the median over the rounds of (with − without) in the same round. The
# 1-minute load average before each run is kept with its figures and printed at the start and the end.
#
#   benchmarks/sessions.sh            (uses the running stack, or starts it with scripts/nexus-local up and stops it
#                                      again at the end)
# Environment: DURATION (s measured per run, default 15), WARMUP (s unmeasured before each HTTP run, default 5),
# PREWARM (s unmeasured per HTTP measurement once at the start, for the JIT, default 15), CONNECTIONS (50), RUNS (REPS,
# else 4), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh),
# SESSIONS (50), NEXUS_STATE_DIR (.nexus), NEXUS_GATEWAY_URL (http://127.0.0.1:8000), NEXUS_SESSION_URL
# (http://127.0.0.1:8083), NEXUS_REDIS_PORT (6379), RESULTS_DIR (~/.cache/nexus/bench: each run's RESULT lines).
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
PREWARM="${PREWARM:-15}"
CONNECTIONS="${CONNECTIONS:-50}"
RUNS="${RUNS:-${REPS:-4}}"
SESSIONS="${SESSIONS:-50}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT="${NEXUS_SESSION_URL:-http://127.0.0.1:8083}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
REDIS=(-h 127.0.0.1 -p "${NEXUS_REDIS_PORT:-6379}")
REDIS_DB=12 # workflow-executions.sh's Conductor uses 11
REDIS_KEY='nexus-bench-sessions:key:__rand_int__'
REDIS_KEYSPACE=10000

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
nexus_started_here=0
tenant=""
identity=""
admin_key=""

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$BENCH/lib/common.sh"

cleanup() {
  local status=$? id
  set +e
  if [ -s "$WORK/ids" ] && [ -n "$identity" ]; then
    info "closing the benchmark's sessions and deleting its tenant"
    while read -r id; do
      curl -s -m 5 -o /dev/null -X DELETE -H "$(direct_auth)" "$DIRECT/api/v1/sessions/$id"
    done <"$WORK/ids"
  fi
  if [ -n "$tenant" ]; then
    curl -s -m 5 -o /dev/null -X DELETE -H "Authorization: Bearer $admin_key" "$GATEWAY/api/v1/tenants/$tenant"
  fi
  # Only this benchmark's keys: its own database and prefix. Never FLUSHDB/FLUSHALL on the shared Redis.
  redis-cli "${REDIS[@]}" -n "$REDIS_DB" --scan --pattern 'nexus-bench-sessions:*' 2>/dev/null \
    | xargs -r -n 500 redis-cli "${REDIS[@]}" -n "$REDIS_DB" del >/dev/null 2>&1
  if [ "$nexus_started_here" -eq 1 ]; then
    info "stopping the Nexus stack started by this script"
    "$ROOT/scripts/nexus-local" down >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_command curl curl
ensure_command jq jq
ensure_command openssl openssl
ensure_command wrk wrk
ensure_command redis-benchmark redis-tools

json_begin sessions "Sessions: GET and PATCH /api/v1/sessions/{id} direct and through the gateway vs redis-benchmark"
info "machine: $(machine_description)"
load_start="$(load1)"
start_nexus_stack
redis-cli "${REDIS[@]}" ping >/dev/null 2>&1 || die "no Redis at ${REDIS[*]}"

# ---------------------------------------------------------------------------------------------------- set-up
admin_key="$(cat "$STATE/admin-key")"
internal_key="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"
[ -n "$internal_key" ] || die "no NEXUS_INTERNAL_KEY in $STATE/state/tenant-service.env"
tenant="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $admin_key" \
  -H 'Content-Type: application/json' -d "{\"name\": \"bench-sessions-$(date +%s)-$RANDOM\",
    \"quotas\": {\"apiCallsPerMinute\": 1000000000, \"concurrentSessions\": 100000}}" | jq -r .id)"
if [ -z "$tenant" ] || [ "$tenant" = null ]; then die "could not create the benchmark tenant"; fi
read -r key key_id <<<"$(curl -fsS -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" \
  -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"name": "bench", "role": "developer"}' | jq -r '.key + " " + .id')"
[ -n "${key_id:-}" ] || die "could not create the benchmark tenant's API key"
# The identity the gateway would forward to session-service for that key, signed anew for each direct use: an
# identity lives 60 s at most (docs/api.md §2.9).
direct_auth() { echo "X-Nexus-Identity: $(signed_identity "$tenant" "$key_id" "$internal_key" session-service)"; }
identity="$(direct_auth)"
AUTH_GATEWAY="Authorization: Bearer $key"

info "opening $SESSIONS sessions"
: >"$WORK/ids"
for ((i = 0; i < SESSIONS; i++)); do
  status="$(curl -s -o "$WORK/created.json" -w '%{http_code}' -X POST "$GATEWAY/api/v1/sessions" -H "$AUTH_GATEWAY" \
    -H 'Content-Type: application/json' -d "{\"userId\": \"bench-$i\", \"ttlSeconds\": 21600, \"data\": {\"k0\": 0}}")"
  [ "$status" = 201 ] || die "opening a session answered $status: $(cat "$WORK/created.json")"
  jq -r .id "$WORK/created.json" >>"$WORK/ids"
done
first="$(head -n 1 "$WORK/ids")"

# One request of each kind by hand: 200 and the session asked for.
check() {
  local what=$1 status
  shift
  status="$(curl -s -o "$WORK/check.json" -w '%{http_code}' "$@")"
  if [ "$status" != 200 ] || [ "$(jq -r .id "$WORK/check.json")" != "$first" ]; then
    die "$what answered $status: $(cat "$WORK/check.json")"
  fi
}
check "direct GET" -H "$(direct_auth)" "$DIRECT/api/v1/sessions/$first"
check "gateway GET" -H "$AUTH_GATEWAY" "$GATEWAY/api/v1/sessions/$first"
check "gateway GET with X-Nexus-Session" -H "$AUTH_GATEWAY" -H "X-Nexus-Session: $first" \
  "$GATEWAY/api/v1/sessions/$first"
for target in direct gateway; do
  if [ $target = direct ]; then url=$DIRECT auth=$(direct_auth); else url=$GATEWAY auth=$AUTH_GATEWAY; fi
  check "$target PATCH" -X PATCH -H "$auth" -H 'Content-Type: application/merge-patch+json' \
    -d '{"data": {"k1": 1}}' "$url/api/v1/sessions/$first"
done

# Does this gateway use the session named by X-Nexus-Session? One that does answers 404 for an unknown session.
probe="$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH_GATEWAY" -H 'X-Nexus-Session: AAAAAAAAAAAAAAAAAAAAAA' \
  "$GATEWAY/api/v1/tenant")"
case "$probe" in
  404) session_step="present (an unknown session in X-Nexus-Session is 404)" ;;
  200) session_step="absent (the header is only checked for its format: the added figures are noise)" ;;
  *) session_step="unknown (an unknown session in X-Nexus-Session answered $probe)" ;;
esac
info "the gateway's session step: $session_step"

# ---------------------------------------------------------------------------------------------------- load
# wrk: the path is the URL's plus a session id, cycling through the ids file (each thread from its own offset).
# args: IDS_FILE MODE (get: GET; get-session: GET with X-Nexus-Session: <id>; patch: PATCH of one member)
cat >"$WORK/sessions.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end

local ids, gets, n, i, mode = {}, {}, 0, 0, "get"
local patch_headers = {}

function init(args)
  for line in io.lines(args[1]) do
    n = n + 1
    ids[n] = wrk.path .. line
  end
  mode = args[2]
  i = offset or 0
  for k = 1, n do
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    if mode == "get-session" then headers["X-Nexus-Session"] = string.sub(ids[k], #wrk.path + 1) end
    gets[k] = wrk.format("GET", ids[k], headers)
  end
  for name, value in pairs(wrk.headers) do patch_headers[name] = value end
  patch_headers["Content-Type"] = "application/merge-patch+json"
end

function request()
  i = i + 1
  local k = i % n + 1
  if mode == "patch" then
    return wrk.format("PATCH", ids[k], patch_headers, '{"data":{"k' .. (i % 8) .. '":' .. i .. '}}')
  end
  return gets[k]
end
LUA

to_ms() { # wrk latency or duration like 456.00us / 1.23ms / 1.20s / 1.00m
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 }
    else print v }'
}

# The HTTP measurements: name -> "target mode"
declare -A HTTP=([direct-get]="direct get" [direct-patch]="direct patch" [gateway-get]="gateway get"
  [gateway-get-session]="gateway get-session" [gateway-patch]="gateway patch")

# wrk_load NAME SECONDS [--latency]: wrk against the measurement NAME; its output
wrk_load() {
  local target mode url auth
  read -r target mode <<<"${HTTP[$1]}"
  if [ "$target" = direct ]; then url=$DIRECT auth=$(direct_auth); else url=$GATEWAY auth=$AUTH_GATEWAY; fi
  wrk -t2 -c"$CONNECTIONS" -d"$2s" ${3:+"$3"} -s "$WORK/sessions.lua" -H "$auth" "$url/api/v1/sessions/" \
    -- "$WORK/ids" "$mode"
}

# result ROUND NAME RPS P50 P99 REQUESTS ERRORS LOAD: one RESULT line, kept and shown. RPS counts only 2xx answers;
# REQUESTS all answers; ERRORS non-2xx answers and socket errors (connect, read, write, timeout).
result() {
  local line="RESULT round=$1 name=$2 rps=$3 p50=$4 p99=$5 requests=$6 errors=$7 load=$8"
  echo "$line" >>"$RESULTS"
  info "$line"
}

# http_run ROUND NAME: WARMUP unmeasured, then DURATION measured
http_run() {
  local load out requests seconds non2xx errors
  if [ "$WARMUP" -gt 0 ]; then wrk_load "$2" "$WARMUP" >/dev/null 2>&1 || true; fi
  load="$(load1)"
  out="$(wrk_load "$2" "$DURATION" --latency)" || die "wrk failed for $2: $out"
  read -r requests seconds <<<"$(awk '/ requests in / { sub(/,$/, "", $4); print $1, $4 }' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ { print $NF }' <<<"$out" | grep . || echo 0)"
  errors="$(awk -v n="$non2xx" '/Socket errors/ { gsub(/,/, ""); e = $4 + $6 + $8 + $10 } END { print n + e }' <<<"$out")"
  result "$1" "$2" "$(awk -v r="$requests" -v n="$non2xx" -v s="$(to_ms "$seconds")" \
    'BEGIN { printf "%.2f", (r - n) / (s / 1000) }')" "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" \
    "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" "$requests" "$errors" "$load"
}

# bench_redis COMMAND N: redis-benchmark's CSV line for COMMAND (GET or SET) sent N times
bench_redis() {
  local args=("$1" "$REDIS_KEY")
  [ "$1" = SET ] && args+=(xxx) # what -t set sends with the default -d 3
  redis-benchmark "${REDIS[@]}" --dbnum "$REDIS_DB" -c "$CONNECTIONS" -n "$2" -r "$REDIS_KEYSPACE" --csv "${args[@]}" \
    | tail -n 1
}

# redis_run ROUND: SET, then GET (the order of -t get,set), each for about DURATION seconds
redis_run() {
  local command load line
  for command in SET GET; do
    load="$(load1)"
    line="$(bench_redis "$command" "${REDIS_N[$command]}")"
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"${line//\"/}"
    result "$1" "redis-${command,,}" "$rps" "$p50" "$p99" "${REDIS_N[$command]}" 0 "$load"
  done
}

# Calibration: how many requests redis-benchmark needs for DURATION seconds (this also fills the key space).
declare -A REDIS_N
for command in SET GET; do
  line="$(bench_redis "$command" 50000)"
  IFS=, read -r _ rps _ <<<"${line//\"/}"
  REDIS_N[$command]="$(awk -v r="$rps" -v d="$DURATION" 'BEGIN { n = int(r * d); print (n < 10000 ? 10000 : n) }')"
done
info "redis-benchmark: ${REDIS_N[SET]} SETs and ${REDIS_N[GET]} GETs per run (about ${DURATION}s each)"

ORDER=(redis direct-get direct-patch gateway-get gateway-get-session gateway-patch)
if [ "$PREWARM" -gt 0 ]; then
  for name in "${ORDER[@]:1}"; do
    info "$name: ${PREWARM}s unmeasured warm-up"
    wrk_load "$name" "$PREWARM" >/dev/null 2>&1 || true
  done
fi

for ((round = 1; round <= RUNS; round++)); do
  order=("${ORDER[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((j = ${#ORDER[@]} - 1; j >= 0; j--)); do order+=("${ORDER[$j]}"); done
  fi
  info "round $round of $RUNS: ${order[*]}"
  for name in "${order[@]}"; do
    if [ "$name" = redis ]; then redis_run "$round"; else http_run "$round" "$name"; fi
  done
done
load_end="$(load1)"

mkdir -p "$RESULTS_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp "$RESULTS" "$RESULTS_DIR/sessions-$stamp.txt"

# ---------------------------------------------------------------------------------------------------- report
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# med NAME FIELD: the median of FIELD over the rounds of NAME
med() { grep " name=$1 " "$RESULTS" | while read -r l; do field "$l" "$2"; done | median; }
# paired NAME_A NAME_B FIELD: the median over the rounds of (A − B) in the same round
paired() {
  local r a b
  for ((r = 1; r <= RUNS; r++)); do
    a="$(grep "round=$r name=$1 " "$RESULTS" | head -n 1)"
    b="$(grep "round=$r name=$2 " "$RESULTS" | head -n 1)"
    awk -v a="$(field "$a" "$3")" -v b="$(field "$b" "$3")" 'BEGIN { print a - b }'
  done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
# error_share NAME: errors in % of all requests over the rounds of NAME
error_share() {
  grep " name=$1 " "$RESULTS" | while read -r l; do echo "$(field "$l" errors) $(field "$l" requests)"; done \
    | awk '{ e += $1; n += $2 } END { printf "%.1f", (n > 0 ? 100 * e / n : 0) }'
}

redis_get="$(med redis-get rps)"
redis_set="$(med redis-set rps)"
echo
echo "Sessions at $CONNECTIONS connections: median of $RUNS round(s), ${DURATION}s measured per run (HTTP runs after ${WARMUP}s"
echo "unmeasured; every other round in reverse order), $(nproc) cores shared by the load, the servers and anything else"
printf '%-36s %10s %9s %9s %8s  %s\n' run "req/s" "p50 ms" "p99 ms" "errors" "ratio"
row() { # NAME LABEL REFERENCE-RPS REFERENCE-LABEL
  local rps
  rps="$(med "$1" rps)"
  printf '%-36s %10.0f %9.3f %9.3f %7s%%  %s\n' "$2" "$rps" "$(med "$1" p50)" "$(med "$1" p99)" "$(error_share "$1")" \
    "${3:+$(ratio "$rps" "$3")x $4}"
}
row redis-get "redis-benchmark GET" "" ""
row redis-set "redis-benchmark SET" "" ""
row direct-get "direct GET /sessions/{id}" "$redis_get" "redis GET"
row direct-patch "direct PATCH /sessions/{id}" "$redis_set" "redis SET"
row gateway-get "gateway GET" "$redis_get" "redis GET"
row gateway-get-session "gateway GET + X-Nexus-Session" "$redis_get" "redis GET"
row gateway-patch "gateway PATCH" "$redis_set" "redis SET"
echo "(req/s: 2xx answers only; errors: non-2xx answers and socket errors, in % of all answers over the rounds;"
echo " wrk is closed loop, see the top of this file)"
if grep -q ' errors=[1-9]' "$RESULTS"; then
  echo "WARNING: some runs had errors; their p50/p99 include the failed answers (often fast ones). The services' logs"
  echo "  ($STATE/logs) say why."
fi
echo
floor() { # NAME FLOOR LABEL
  local r
  r="$(ratio "$(med "$1" rps)" "$redis_get")"
  printf '%-36s %sx redis-benchmark GET (floor %sx): %s\n' "$3" "$r" "$2" \
    "$(awk -v r="$r" -v f="$2" 'BEGIN { print (r + 0 >= f ? "ok" : "BELOW THE FLOOR") }')"
}
floor gateway-get 0.08 "gateway GET"
floor direct-get 0.25 "direct GET"
echo
echo "the gateway's session step: $session_step"
printf 'added p99 (header − no header): %.3f ms   (p50: %.3f ms; req/s with/without: %s)\n' \
  "$(paired gateway-get-session gateway-get p99)" "$(paired gateway-get-session gateway-get p50)" \
  "$(ratio "$(med gateway-get-session rps)" "$(med gateway-get rps)")"
echo "  (median over the rounds of the difference within each round; per round, p99 ms with/without:"
for ((r = 1; r <= RUNS; r++)); do
  printf '   round %d: %s / %s\n' "$r" \
    "$(field "$(grep "round=$r name=gateway-get-session " "$RESULTS")" p99)" \
    "$(field "$(grep "round=$r name=gateway-get " "$RESULTS")" p99)"
done
echo "  )"
echo
echo "load average (1 min, $(nproc) cores): $load_start at the start, $load_end at the end; before each run: see the RESULT lines"
echo "RESULT lines kept in $RESULTS_DIR/sessions-$stamp.txt"

# ---------------------------------------------------------------------------------------------------- JSON
# vals NAME FIELD: FIELD over the rounds of NAME
vals() { grep " name=$1 " "$RESULTS" | while read -r l; do field "$l" "$2"; done; }
# round_ratios NAME REFERENCE: per round, NAME's req/s / REFERENCE's
round_ratios() {
  local r
  for ((r = 1; r <= RUNS; r++)); do
    awk -v a="$(field "$(grep "round=$r name=$1 " "$RESULTS")" rps)" \
      -v b="$(field "$(grep "round=$r name=$2 " "$RESULTS")" rps)" 'BEGIN { if (b > 0) printf "%.4f\n", a / b }'
  done
}
json_setting reps "$RUNS"
json_setting duration_s "$DURATION"
json_setting warmup_s "$WARMUP"
json_setting connections "$CONNECTIONS"
json_setting sessions "$SESSIONS"
json_setting gateway_session_step "$session_step"
json_subject redis-benchmark peer "redis-benchmark $(redis-benchmark --version 2>/dev/null | awk '{ print $2 }' | sed 's/^v=//') GET/SET, -c $CONNECTIONS"
json_subject direct nexus "session-service directly (signed identity)"
json_subject gateway nexus "session-service through the Nexus gateway"
# shellcheck disable=SC2046 # lists of numbers
for name in redis-get redis-set direct-get direct-patch gateway-get gateway-get-session gateway-patch; do
  case "$name" in redis-*) subject=redis-benchmark ;; direct-*) subject=direct ;; *) subject=gateway ;; esac
  metric="${name#*-}"
  json_figure "$subject" "${metric}_rps" "req/s" $(vals "$name" rps)
  json_figure "$subject" "${metric}_p50" ms $(vals "$name" p50)
  json_figure "$subject" "${metric}_p99" ms $(vals "$name" p99)
done
json_ratio "gateway GET / redis-benchmark GET" $(round_ratios gateway-get redis-get)
json_ratio "direct GET / redis-benchmark GET" $(round_ratios direct-get redis-get)
json_figure gateway added_p99_x_nexus_session ms "$(paired gateway-get-session gateway-get p99)"
for t in "gateway-get 0.08 gateway GET" "direct-get 0.25 direct GET"; do
  read -r name fl label <<<"$t"
  r="$(ratio "$(med "$name" rps)" "$redis_get")"
  json_target "$label / redis-benchmark GET (floor)" "$r" ">=" "$fl" "$(pass_json "$(check_target "$r" ">=" "$fl")")" \
    "ratio of the medians over $RUNS rounds"
done
json_write
