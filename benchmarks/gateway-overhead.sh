#!/usr/bin/env bash
# What the gateway costs (issue 18: a lighter gateway). On one machine, in one run, an authenticated
# GET /api/v1/tenant seven ways:
#   - direct:          straight to tenant-service (:8081, with a pre-signed X-Nexus-Identity): the reference
#   - gateway-leased:  through a Nexus gateway with NEXUS_GATEWAY_RATE_LIMIT_MODE=leased (tokens leased from Redis in
#                      batches per replica; the default mode)
#   - gateway-strict:  through a Nexus gateway with NEXUS_GATEWAY_RATE_LIMIT_MODE=strict (one atomic token-bucket step
#                      in Redis per request)
#   - nginx:           nginx (Debian package) proxying tenant-service with limit_req keyed on the API key: the peer of
#                      `leased` (a rate limit that does not ask Redis)
#   - nginx-lua:       nginx with the Lua module (Debian libnginx-mod-http-lua, the Redis client of Debian
#                      lua-nginx-redis, i.e. lua-resty-redis) running per request the gateway's own token-bucket script
#                      (api-gateway/src/main/resources/lua/token-bucket.lua, EVALSHA through a keepalive connection
#                      pool) in the local Redis, keys under nexus-bench-gateway: (deleted at the end): the like-for-like
#                      peer of `strict`
#   - vertx-floor:     a bare reverse proxy on the gateway build's own Vert.x and Netty (benchmarks/gateway/
#                      VertxFloorProxy.java): no route table, key, limit, identity or metrics. Not a target's peer: it
#                      splits the gateway's cost into the framework's floor and Nexus's own work
#   - quarkus-floor:   the same bare proxy as one route on Quarkus's router (benchmarks/gateway/quarkus-floor, a
#                      Quarkus application of quarkus-vertx-http alone, on the root pom's Quarkus version, built here
#                      with mvn): what Quarkus's HTTP layer adds to raw Vert.x. Not a target's peer either
# Both gateways are started here, on :8096 (leased) and :8097 (strict), from one copy of the same build
# (GATEWAY_APP, default api-gateway/target/quarkus-app, copied when the script starts so that a rebuild meanwhile does
# not mix builds) and with the environment of the stack's gateway (.nexus/state/api-gateway.env), and killed
# at the end; the stack's own gateway (:8000) only creates the benchmark tenant. A build without the mode setting
# ignores the variable: both then run the same mode, which the Redis commands per request ("redis cmd/req") show.
# Both gateways and both floors run with the JVM options of the stack's gateway (its -X options: heap, garbage collector),
# or GATEWAY_JAVA_OPTS when set.
#
# Per repetition (REPS, default 3; every other one in reverse order, so that each target is as often early as late):
#   1. maximum requests/s and p50/p99 of each (wrk, closed loop, CONNECTIONS connections), after WARMUP unmeasured;
#      meanwhile the CPU time per request of each gateway, Redis, tenant-service, PostgreSQL and each nginx (utime +
#      stime from /proc), and Redis's commands per request (INFO stats: all of Redis's traffic).
# then, at a fixed rate of RATE_SHARE (50) % of the median direct maximum (or FIXED_RATE requests/s when set), per
# repetition:
#   2. p50/p99 of each, open loop (benchmarks/loadgen/OpenLoop.java): requests go out evenly spaced whatever the
#      answers do, and each latency counts from when the request was due (as wrk2 does; wrk2 is not packaged). A
#      closed-loop tool stops sending while the server stalls and so never sees most of the requests a stall would
#      have delayed (coordinated omission).
# Every figure is the median over the repetitions, with min and max; ratios are taken within each repetition first.
# Targets (issue 18), each PASS/FAIL, never an exit status; `leased` is held to nginx, `strict` to nginx-lua:
#   (a) CPU per request of gateway + Redis <= 1.5x the peer's (nginx workers + Redis)
#   (b) throughput ratio to direct >= the peer's
#   (c) added p99 (p99 - direct p99 in the same repetition) at the fixed rate <= 2x the peer's added p99 (a peer's
#       added p99 below 0 is noise and counts as 0)
#
#   benchmarks/gateway-overhead.sh            (starts the stack with scripts/nexus-local up --no-build if it is down)
# Environment: REPS (3), DURATION (s per maximum-throughput run, 15), WARMUP (s unmeasured before each run, 5),
# PREWARM (s unmeasured per target once at the start, for the JITs, 20), FIXED_DURATION (s per fixed-rate run, 20; 5 s
# at the rate come first), RATE_SHARE (50), FIXED_RATE (requests/s; overrides RATE_SHARE), CONNECTIONS (32;
# also the fixed-rate tool's connections), GATEWAY_APP (api-gateway/target/quarkus-app), NEXUS_GATEWAY_URL
# (http://127.0.0.1:8000), GATEWAY_JAVA_OPTS (the stack gateway's -X options), NEXUS_STATE_DIR (.nexus), NEXUS_REDIS_PORT (6379), RESULT_JSON (a path: the JSON summary,
# see benchmarks/lib/common.sh).
# The machine's load average is printed with the figures: on a shared 2-core machine, compare runs at similar load.
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
REPS="${REPS:-3}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
PREWARM="${PREWARM:-20}"
FIXED_DURATION="${FIXED_DURATION:-20}"
RATE_SHARE="${RATE_SHARE:-50}"
CONNECTIONS="${CONNECTIONS:-32}"
GATEWAY_APP="${GATEWAY_APP:-$ROOT/api-gateway/target/quarkus-app}"
STACK_GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
GATEWAY="$STACK_GATEWAY" # start_nexus_stack's health check
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
REDIS_PORT="${NEXUS_REDIS_PORT:-6379}"
DIRECT=http://127.0.0.1:8081
LEASED_PORT=8096
STRICT_PORT=8097
NGINX_LUA_PORT=8098
NGINX_PORT=8099
FLOOR_PORT=8095
QUARKUS_FLOOR_PORT=8094
QUARKUS_FLOOR_POM="$BENCH/gateway/quarkus-floor/pom.xml"
LUA_PREFIX=nexus-bench-gateway:
TOKEN_BUCKET="$ROOT/api-gateway/src/main/resources/lua/token-bucket.lua"
NGINX_MODULES=/usr/lib/nginx/modules
RESTY_REDIS=/usr/share/lua/5.1/nginx/redis.lua # Debian lua-nginx-redis: lua-resty-redis as module nginx.redis
TARGETS=(direct gateway-leased gateway-strict nginx nginx-lua vertx-floor quarkus-floor)
declare -A URL=([direct]="$DIRECT" [gateway-leased]="http://127.0.0.1:$LEASED_PORT"
  [gateway-strict]="http://127.0.0.1:$STRICT_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT"
  [nginx-lua]="http://127.0.0.1:$NGINX_LUA_PORT" [vertx-floor]="http://127.0.0.1:$FLOOR_PORT"
  [quarkus-floor]="http://127.0.0.1:$QUARKUS_FLOOR_PORT")
declare -A PEER=([gateway-leased]=nginx [gateway-strict]=nginx-lua)

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
nexus_started_here=0
declare -A gateway_pid=() nginx_pid=()

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$BENCH/lib/common.sh"

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local status=$? p
  set +e
  for p in "${gateway_pid[@]}"; do
    kill "$p" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null
  done
  for p in "${nginx_pid[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  # Only this benchmark's keys (its own prefix). Never FLUSHDB/FLUSHALL on the shared Redis.
  redis-cli -p "$REDIS_PORT" --scan --pattern "$LUA_PREFIX*" 2>/dev/null \
    | xargs -r -n 500 redis-cli -p "$REDIS_PORT" del >/dev/null 2>&1
  if [ "$nexus_started_here" -eq 1 ]; then
    info "stopping the Nexus stack started by this script"
    "$ROOT/scripts/nexus-local" down >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ensure_file PATH PACKAGE: installs the Debian package PACKAGE when PATH is missing
ensure_file() { [ -e "$1" ] || apt_install "$2"; [ -e "$1" ] || die "no $1 after installing $2"; }
ensure_command curl curl
ensure_command wrk wrk
ensure_command nginx nginx-light
ensure_file "$NGINX_MODULES/ngx_http_lua_module.so" libnginx-mod-http-lua
ensure_file "$NGINX_MODULES/ndk_http_module.so" libnginx-mod-http-ndk
ensure_file "$RESTY_REDIS" lua-nginx-redis
ensure_command jq jq
ensure_command openssl openssl
ensure_command redis-cli redis-tools
ensure_command javac openjdk-17-jdk-headless

json_begin gateway-overhead "Gateway overhead: GET /api/v1/tenant direct, through the Nexus gateway (leased, strict) and nginx (limit_req, Lua + Redis)"
info "machine: $(machine_description)"
start_nexus_stack
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "no Redis on 127.0.0.1:$REDIS_PORT"
[ -f "$GATEWAY_APP/quarkus-run.jar" ] || die "no $GATEWAY_APP/quarkus-run.jar: build the gateway first"
[ -f "$STATE/state/api-gateway.env" ] || die "no $STATE/state/api-gateway.env: is the stack started by scripts/nexus-local?"
for port in $LEASED_PORT $STRICT_PORT $NGINX_LUA_PORT $NGINX_PORT $FLOOR_PORT $QUARKUS_FLOOR_PORT; do
  if port_open "$port"; then die "port $port is taken (pid $(port_holder "$port"))"; fi
done
ADMIN_KEY="$(cat "$STATE/admin-key")"
INTERNAL_KEY="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"

# ---------------------------------------------------------------------------------------------------- gateways
# One copy of the build for both gateways, and the JVM options of the stack's gateway (the -X options on its command
# line: heap, garbage collector).
cp -a "$GATEWAY_APP" "$WORK/gateway-app"
build_stamp="$(date -u -r "$GATEWAY_APP/quarkus-run.jar" +%Y-%m-%dT%H:%M:%SZ)"
stack_pid="$(port_holder "${STACK_GATEWAY##*:}")"
read -r -a jvm_opts <<<"${GATEWAY_JAVA_OPTS:-$(tr '\0' '\n' <"/proc/${stack_pid:-0}/cmdline" 2>/dev/null \
  | grep '^-X' | paste -sd' ' - || true)}"
[ "${#jvm_opts[@]}" -gt 0 ] || jvm_opts=("-Xmx${NEXUS_SERVICE_HEAP:-384m}" -XX:+ExitOnOutOfMemoryError)
mapfile -t gateway_env <"$STATE/state/api-gateway.env"
start_gateway() { # start_gateway MODE PORT
  env "${gateway_env[@]}" QUARKUS_HTTP_PORT="$2" HOSTNAME="bench-gateway-$1" NEXUS_GATEWAY_RATE_LIMIT_MODE="$1" \
    java "${jvm_opts[@]}" -jar "$WORK/gateway-app/quarkus-run.jar" >"$WORK/gateway-$1.log" 2>&1 &
  gateway_pid[$1]=$!
}
info "starting gateways (build of $build_stamp, ${jvm_opts[*]}): leased on :$LEASED_PORT, strict on :$STRICT_PORT," \
  "the Vert.x floor on :$FLOOR_PORT and the Quarkus floor on :$QUARKUS_FLOOR_PORT"
start_gateway leased "$LEASED_PORT"
start_gateway strict "$STRICT_PORT"
mkdir -p "$WORK/floor"
javac -cp "$WORK/gateway-app/lib/main/*" -d "$WORK/floor" "$BENCH/gateway/VertxFloorProxy.java"
java "${jvm_opts[@]}" -cp "$WORK/floor:$WORK/gateway-app/lib/main/*" VertxFloorProxy "$FLOOR_PORT" 127.0.0.1 \
  "${DIRECT##*:}" >"$WORK/floor.log" 2>&1 &
gateway_pid[floor]=$!
quarkus_version="$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)"
mvn -q -B -f "$QUARKUS_FLOOR_POM" package -Dquarkus.platform.version="$quarkus_version" >"$WORK/quarkus-floor-build.log" 2>&1 \
  || { tail -20 "$WORK/quarkus-floor-build.log" >&2; die "could not build the Quarkus floor"; }
cp -a "$(dirname "$QUARKUS_FLOOR_POM")/target/quarkus-app" "$WORK/quarkus-floor-app"
QUARKUS_HTTP_PORT="$QUARKUS_FLOOR_PORT" FLOOR_UPSTREAM_PORT="${DIRECT##*:}" \
  java "${jvm_opts[@]}" -jar "$WORK/quarkus-floor-app/quarkus-run.jar" >"$WORK/quarkus-floor.log" 2>&1 &
gateway_pid[quarkus-floor]=$!
for mode in leased strict; do
  port=$LEASED_PORT
  [ "$mode" = strict ] && port=$STRICT_PORT
  waited=0
  until curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "${gateway_pid[$mode]}" 2>/dev/null || { tail -20 "$WORK/gateway-$mode.log" >&2; die "the $mode gateway exited"; }
    [ $waited -lt 120 ] || { tail -20 "$WORK/gateway-$mode.log" >&2; die "the $mode gateway is not ready after 120 s"; }
    sleep 1
    waited=$((waited + 1))
  done
done
await_floor() { # await_floor NAME PORT PID LOG: until the floor listens (30 s at most)
  local waited=0
  until port_open "$2"; do
    kill -0 "$3" 2>/dev/null || { tail -20 "$4" >&2; die "the $1 exited"; }
    [ $waited -lt 60 ] || die "the $1 is not listening after 30 s"
    sleep 0.5
    waited=$((waited + 1))
  done
}
await_floor "Vert.x floor proxy" "$FLOOR_PORT" "${gateway_pid[floor]}" "$WORK/floor.log"
await_floor "Quarkus floor" "$QUARKUS_FLOOR_PORT" "${gateway_pid[quarkus-floor]}" "$WORK/quarkus-floor.log"

# ---------------------------------------------------------------------------------------------------- tenant
# A tenant whose limit is never reached, so that every request pays for the rate-limit step but none is refused.
LIMIT=1000000000
tenant="$(curl -fsS -X POST "$STACK_GATEWAY/api/v1/tenants" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d "{\"name\": \"bench-$RANDOM$RANDOM\", \"quotas\": {\"apiCallsPerMinute\": $LIMIT}}" \
  | jq -r .id)"
read -r key key_id <<<"$(curl -fsS -X POST "$STACK_GATEWAY/api/v1/tenants/$tenant/api-keys" \
  -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}' \
  | jq -r '.key + " " + .id')"
[ -n "${key_id:-}" ] || die "could not create the benchmark tenant's API key"
declare -A HEADER=([gateway-leased]="Authorization: Bearer $key" [gateway-strict]="Authorization: Bearer $key"
  [nginx]="Authorization: Bearer $key" [nginx-lua]="Authorization: Bearer $key")

# ---------------------------------------------------------------------------------------------------- nginx
# The identity the gateway would forward to tenant-service, for the direct and nginx runs. An identity lives 60 s at
# most (docs/api.md §2.9): fresh_identity signs a new one before each of those runs, and writes it into both nginx
# configurations (reloaded).
mkdir -p "$WORK/nginx/logs" "$WORK/nginx-lua/logs" "$WORK/lua"
bucket_sha="$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD "$(cat "$TOKEN_BUCKET")")"
# The Lua side: the same call the gateway's strict mode makes (KEYS: the tenant's bucket and its API-call counter of
# the minute; ARGV: the tenant's apiCallsPerMinute), over a per-worker keepalive pool; fail open on a Redis error.
cat >"$WORK/lua/bench_limit.lua" <<LUA
local redis = require "nginx.redis"
local script = io.open("$TOKEN_BUCKET"):read("*a")
local sha = "$bucket_sha"
local prefix = "$LUA_PREFIX"
local _M = {}
function _M.access()
  local tenant = ngx.var.bench_tenant
  if tenant == "" then return ngx.exit(401) end
  local red = redis:new()
  red:set_timeout(250)
  local ok, err = red:connect("127.0.0.1", $REDIS_PORT)
  if not ok then ngx.log(ngx.ERR, "redis: ", err); return end
  local bucket = prefix .. "ratelimit:" .. tenant
  local calls = prefix .. "usage:" .. tenant .. ":calls:" .. math.floor(ngx.now() / 60)
  local res
  res, err = red:evalsha(sha, 2, bucket, calls, "$LIMIT")
  if not res and err and string.find(err, "NOSCRIPT", 1, true) then
    res, err = red:eval(script, 2, bucket, calls, "$LIMIT")
  end
  if not res then ngx.log(ngx.ERR, "redis: ", err); red:close(); return end
  red:set_keepalive(60000, 64)
  if res[1] == 0 then
    ngx.header["Retry-After"] = math.ceil(res[5] / 1000)
    return ngx.exit(429)
  end
end
return _M
LUA
write_nginx_conf() {
  local common
  common="$(cat <<NGINX
worker_processes 2;
events { worker_connections 4096; }
NGINX
)"
  cat >"$WORK/nginx/nginx.conf" <<NGINX
$common
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
http {
  access_log off;
  upstream tenant_service { server 127.0.0.1:8081; keepalive 128; }
  limit_req_zone \$http_authorization zone=per_key:10m rate=1000000r/s;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      limit_req zone=per_key burst=1000000 nodelay;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Nexus-Identity "$identity";
      proxy_pass http://tenant_service;
    }
  }
}
NGINX
  cat >"$WORK/nginx-lua/nginx.conf" <<NGINX
load_module $NGINX_MODULES/ndk_http_module.so;
load_module $NGINX_MODULES/ngx_http_lua_module.so;
$common
pid $WORK/nginx-lua/nginx.pid;
error_log $WORK/nginx-lua/logs/error.log warn;
http {
  access_log off;
  lua_package_path "$WORK/lua/?.lua;/usr/share/lua/5.1/?.lua;;";
  lua_socket_log_errors off;
  init_by_lua_block { require "bench_limit" }
  upstream tenant_service { server 127.0.0.1:8081; keepalive 128; }
  map_hash_bucket_size 256;
  # The key's tenant, as the gateway knows it (from its key cache)
  map \$http_authorization \$bench_tenant { "Bearer $key" "$tenant"; default ""; }
  server {
    listen 127.0.0.1:$NGINX_LUA_PORT;
    location / {
      access_by_lua_block { require("bench_limit").access() }
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Nexus-Identity "$identity";
      proxy_pass http://tenant_service;
    }
  }
}
NGINX
}
fresh_identity() {
  identity="$(signed_identity "$tenant" "$key_id" "$INTERNAL_KEY" tenant-service)"
  HEADER[direct]="X-Nexus-Identity: $identity"
  HEADER[vertx-floor]="X-Nexus-Identity: $identity"
  HEADER[quarkus-floor]="X-Nexus-Identity: $identity"
  write_nginx_conf
  local n
  for n in nginx nginx-lua; do
    if [ -n "${nginx_pid[$n]:-}" ]; then nginx -p "$WORK/$n" -c "$WORK/$n/nginx.conf" -s reload 2>/dev/null; fi
  done
  if [ -n "${nginx_pid[nginx]:-}" ]; then sleep 1; fi
}
fresh_identity
for n in nginx nginx-lua; do
  nginx -p "$WORK/$n" -c "$WORK/$n/nginx.conf" -g 'daemon off;' 2>>"$WORK/$n/logs/error.log" &
  nginx_pid[$n]=$!
done
sleep 1
for n in nginx nginx-lua; do
  kill -0 "${nginx_pid[$n]}" 2>/dev/null || { cat "$WORK/$n/logs/error.log" >&2; die "$n did not start"; }
done

check_ok() {
  local status
  status=$(curl -s -o "$WORK/check.txt" -w '%{http_code}' -H "${HEADER[$1]}" "${URL[$1]}/api/v1/tenant")
  [ "$status" = 200 ] || die "$1 answered $status: $(head -c 300 "$WORK/check.txt")"
}
for t in "${TARGETS[@]}"; do check_ok "$t"; done
[ -n "$(redis-cli -p "$REDIS_PORT" --scan --pattern "${LUA_PREFIX}ratelimit:*" | head -n 1)" ] \
  || die "nginx-lua answered without its token bucket in Redis: $(tail -5 "$WORK/nginx-lua/logs/error.log")"

# ---------------------------------------------------------------------------------------------------- measuring
to_ms() { # wrk latency like 1.23ms / 456.00us / 1.20s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}
TENANT_PID="$(port_holder 8081)"
REDIS_PID="$(port_holder "$REDIS_PORT")"
# The CPU columns: name -> pids (nginx: its workers)
CPU_COLUMNS=(gateway-leased gateway-strict redis tenant-service postgresql nginx nginx-lua vertx-floor quarkus-floor)
# cpu_snapshot: "name=ticks" per line for every column but PostgreSQL (its backends come and go: cpu_by_pid)
# shellcheck disable=SC2046 # pid lists
cpu_snapshot() {
  echo "gateway-leased=$(cpu_ticks "${gateway_pid[leased]}")"
  echo "gateway-strict=$(cpu_ticks "${gateway_pid[strict]}")"
  echo "redis=$(cpu_ticks $REDIS_PID)"
  echo "tenant-service=$(cpu_ticks $TENANT_PID)"
  echo "nginx=$(cpu_ticks $(pgrep -P "${nginx_pid[nginx]}" | paste -sd' ' -))"
  echo "nginx-lua=$(cpu_ticks $(pgrep -P "${nginx_pid[nginx-lua]}" | paste -sd' ' -))"
  echo "vertx-floor=$(cpu_ticks "${gateway_pid[floor]}")"
  echo "quarkus-floor=$(cpu_ticks "${gateway_pid[quarkus-floor]}")"
}
redis_commands() { redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | sed -n 's/^total_commands_processed://p'; }

wrk_run() { # wrk_run TARGET SECONDS [--latency]
  wrk -t2 -c"$CONNECTIONS" -d"$2s" ${3:+"$3"} -H "${HEADER[$1]}" "${URL[$1]}/api/v1/tenant"
}

# max_run REP TARGET: WARMUP unmeasured, DURATION measured; one RESULT line (CPU in microseconds per request)
# shellcheck disable=SC2046 # pid list
max_run() {
  local rep=$1 t=$2 out before after pg_before pg_after requests load r0 r1 line
  case "$t" in direct | nginx* | *-floor) fresh_identity ;; esac
  [ "$WARMUP" -gt 0 ] && { wrk_run "$t" "$WARMUP" >/dev/null 2>&1 || true; }
  load="$(load1)"
  before="$(cpu_snapshot)"; pg_before="$(cpu_by_pid $(pg_pids))"; r0="$(redis_commands)"
  out="$(wrk_run "$t" "$DURATION" --latency)" || die "wrk failed for $t: $out"
  after="$(cpu_snapshot)"; pg_after="$(cpu_by_pid $(pg_pids))"; r1="$(redis_commands)"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  line="RESULT rep=$rep kind=max target=$t rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  line+=" p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  line+=" errors=$(awk -v n="$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)" \
    '/Socket errors/ { gsub(/,/, ""); e = $4 + $6 + $8 + $10 } END { print n + e }' <<<"$out")"
  line+=" $(awk -F= -v n="$requests" -v hz="$CLK_TCK" 'NR == FNR { b[$1] = $2; next }
    { printf "cpu_%s=%.1f ", $1, ($2 - b[$1]) * 1e6 / hz / n }' <(echo "$before") <(echo "$after"))"
  line+="cpu_postgresql=$(awk -v t="$(cpu_delta "$pg_before" "$pg_after")" -v n="$requests" -v hz="$CLK_TCK" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
  line+=" redis_cmds=$(awk -v a="$r0" -v b="$r1" -v n="$requests" 'BEGIN { printf "%.3f", (b - a) / n }') load=$load"
  echo "$line" >>"$RESULTS"
  info "$line"
}

# fixed_run REP TARGET: 5 s at the rate unmeasured, then FIXED_DURATION measured; one RESULT line
fixed_run() {
  local rep=$1 t=$2 load out header
  case "$t" in direct | nginx* | *-floor) fresh_identity ;; esac
  header="${HEADER[$t]}"
  load="$(load1)"
  out="$(java -XX:+UseSerialGC -Xmx256m -cp "$WORK/loadgen" OpenLoop "${URL[$t]}/api/v1/tenant" "$RATE" 5 \
    "$FIXED_DURATION" "$CONNECTIONS" "${header%%:*}" "${header#*: }")" || die "the open-loop load failed for $t"
  read -r achieved p50 p99 p999 pmax failed <<<"$out"
  echo "RESULT rep=$rep kind=fixed target=$t rate=$RATE achieved=$achieved p50=$p50 p99=$p99 p999=$p999 max=$pmax failed=$failed load=$load" \
    | tee -a "$RESULTS" | sed 's/^/==> /' >&2
}

# order REP: the targets, reversed in even repetitions
order() {
  local -a o=("${TARGETS[@]}")
  if [ $(($1 % 2)) -eq 0 ]; then
    local j
    o=()
    for ((j = ${#TARGETS[@]} - 1; j >= 0; j--)); do o+=("${TARGETS[$j]}"); done
  fi
  echo "${o[@]}"
}

mkdir -p "$WORK/loadgen"
javac -d "$WORK/loadgen" "$BENCH/loadgen/OpenLoop.java"

load_start="$(load1)"
if [ "$PREWARM" -gt 0 ]; then
  info "unmeasured warm-up, ${PREWARM}s per target (JIT of the gateways and tenant-service)"
  for t in "${TARGETS[@]}"; do
    case "$t" in direct | nginx* | *-floor) fresh_identity ;; esac
    wrk_run "$t" "$PREWARM" >/dev/null 2>&1 || true
  done
fi
for ((rep = 1; rep <= REPS; rep++)); do
  info "maximum throughput, repetition $rep of $REPS (${WARMUP}s + ${DURATION}s per target, $CONNECTIONS connections)"
  for t in $(order "$rep"); do max_run "$rep" "$t"; done
done
load_max="$(load1)"

# vals KIND TARGET FIELD: the values of FIELD over the repetitions (one a line)
vals() { grep " kind=$1 target=$2 " "$RESULTS" | while read -r l; do field "$l" "$3"; done; }
direct_max="$(median_of $(vals max direct rps))"
if [ -n "${FIXED_RATE:-}" ]; then
  RATE="$FIXED_RATE" rate_source="FIXED_RATE"
else
  RATE="$(awk -v d="$direct_max" -v s="$RATE_SHARE" 'BEGIN { printf "%d", d * s / 100 }')"
  rate_source="$RATE_SHARE % of the median direct maximum, $(printf '%.0f' "$direct_max") req/s"
fi
[ "$RATE" -gt 0 ] || die "no direct maximum to take the fixed rate from"
for ((rep = 1; rep <= REPS; rep++)); do
  info "latency at $RATE requests/s, open loop, repetition $rep of $REPS (5s + ${FIXED_DURATION}s per target)"
  for t in $(order "$rep"); do fixed_run "$rep" "$t"; done
done
load_fixed="$(load1)"

# ---------------------------------------------------------------------------------------------------- report
# rep_value REP KIND TARGET FIELD
rep_value() { field "$(grep "^RESULT rep=$1 kind=$2 target=$3 " "$RESULTS" | head -n 1)" "$4"; }
# per_rep AWK-EXPR KIND FIELD TARGET [FIELD TARGET ...]: per repetition, the expression of a, b, c, d (the FIELD of
# the TARGET's RESULT line of that repetition, in order); nothing for a repetition where it cannot be computed
per_rep() {
  local expr=$1 kind=$2 rep i v
  shift 2
  local -a pairs=("$@") names=(a b c d)
  for ((rep = 1; rep <= REPS; rep++)); do
    local -a vars=()
    for ((i = 0; i < ${#pairs[@]}; i += 2)); do
      v="$(rep_value "$rep" "$kind" "${pairs[$((i + 1))]}" "${pairs[$i]}")"
      [ -n "$v" ] || continue 2
      vars+=(-v "${names[$((i / 2))]}=$v")
    done
    awk "${vars[@]}" "BEGIN { printf \"%.4f\\n\", $expr }" 2>/dev/null || true
  done
}
ratio_to_direct() { per_rep 'a / b' max rps "$1" rps direct; }
added_p99() { per_rep 'a - b' fixed p99 "$1" p99 direct; }
# own CPU per request: gateway + Redis, or nginx workers + Redis
cpu_own() { per_rep 'a + b' max "cpu_$1" "$1" cpu_redis "$1"; }
cpu_ratio() { # cpu_ratio GATEWAY: per repetition, (gateway + Redis) / (peer + Redis)
  per_rep '(a + b) / (c + d)' max "cpu_$1" "$1" cpu_redis "$1" "cpu_${PEER[$1]}" "${PEER[$1]}" cpu_redis "${PEER[$1]}"
}

declare -A LABEL=([direct]="direct to tenant-service" [gateway-leased]="Nexus gateway, leased" \
  [gateway-strict]="Nexus gateway, strict" [nginx]="nginx + limit_req" [nginx-lua]="nginx + Lua + Redis" \
  [vertx-floor]="bare Vert.x proxy (floor)" [quarkus-floor]="bare proxy on Quarkus (floor)")
echo
echo "GET /api/v1/tenant: median (min–max) of $REPS repetition(s); $(machine_description)"
printf '%-28s %22s %22s %22s %8s %9s\n' "maximum throughput" "req/s" "p50 ms" "p99 ms" errors "redis/req"
for t in "${TARGETS[@]}"; do
  printf '%-28s %22s %22s %22s %8s %9s\n' "${LABEL[$t]}" "$(mmm 0 $(vals max "$t" rps))" "$(mmm 2 $(vals max "$t" p50))" \
    "$(mmm 2 $(vals max "$t" p99))" "$(vals max "$t" errors | awk '{ n += $1 } END { print n + 0 }')" \
    "$(mmm 2 $(vals max "$t" redis_cmds))"
done
echo "(wrk, closed loop, $CONNECTIONS connections, ${DURATION}s per run after ${WARMUP}s; errors summed over the runs;"
echo " redis/req: Redis commands per request, all of Redis's traffic counted)"
echo
printf '%-28s %22s %22s %22s %22s %8s\n' "at $RATE req/s (open loop)" "achieved" "p50 ms" "p99 ms" "p99.9 ms" failed
for t in "${TARGETS[@]}"; do
  printf '%-28s %22s %22s %22s %22s %8s\n' "${LABEL[$t]}" "$(mmm 0 $(vals fixed "$t" achieved))" \
    "$(mmm 2 $(vals fixed "$t" p50))" "$(mmm 2 $(vals fixed "$t" p99))" "$(mmm 2 $(vals fixed "$t" p999))" \
    "$(vals fixed "$t" failed | awk '{ n += $1 } END { print n + 0 }')"
done
echo "(${rate_source}; ${FIXED_DURATION}s per run after 5s at the rate)"
echo
echo "CPU per request during the maximum-throughput runs, microseconds, medians (utime + stime; PostgreSQL: the whole cluster)"
printf '%-28s' ""
for c in "${CPU_COLUMNS[@]}"; do printf ' %15s' "$c"; done
echo
for t in "${TARGETS[@]}"; do
  printf '%-28s' "${LABEL[$t]}"
  for c in "${CPU_COLUMNS[@]}"; do printf ' %15s' "$(mmm 0 $(vals max "$t" "cpu_$c") | cut -d' ' -f1)"; done
  echo
done
echo
echo "load average (1 min, $(nproc) cores): $load_start at the start, $load_max after the maximum-throughput runs, $load_fixed at the end"
echo

# Targets, per repetition and then the median
echo "Targets (issue 18): median (min–max) over the repetitions, each taken within one repetition"
report_target() { # report_target NAME VALUE OP LIMIT DETAIL [NOTE]
  local verdict
  verdict="$(check_target "$2" "$3" "$4")"
  printf '  %-4s %s: %s %s %s  %s\n' "$verdict" "$1" "$2" "$3" "$4" "$5"
  [ -z "${6:-}" ] || printf '       %s\n' "$6"
  json_target "$1" "$2" "$3" "$4" "$(pass_json "$verdict")" "$5${6:+; $6}"
}
for g in gateway-leased gateway-strict; do
  p="${PEER[$g]}"
  mode="${g#gateway-}"
  # (a) CPU
  r="$(median_of $(cpu_ratio "$g"))"
  report_target "($mode) CPU per request, gateway + Redis / $p's" "$(printf '%.2f' "$r")" "<=" 1.5 \
    "ratio $(mmm 2 $(cpu_ratio "$g")); gateway + Redis $(mmm 0 $(cpu_own "$g")) µs, $p $(mmm 0 $(cpu_own "$p")) µs"
  # (b) throughput ratio to direct
  gr="$(median_of $(ratio_to_direct "$g"))"
  pr="$(median_of $(ratio_to_direct "$p"))"
  report_target "($mode) throughput ratio to direct, gateway vs $p" "$(printf '%.2f' "$gr")" ">=" "$(printf '%.2f' "$pr")" \
    "gateway $(mmm 2 $(ratio_to_direct "$g")), $p $(mmm 2 $(ratio_to_direct "$p"))"
  # (c) added p99 at the fixed rate
  ga="$(median_of $(added_p99 "$g"))"
  pa="$(median_of $(added_p99 "$p"))"
  note=""
  if awk -v p="$pa" 'BEGIN { exit !(p < 0) }'; then note="$p's added p99 is below 0 (noise): the limit is 0"; fi
  report_target "($mode) added p99 at $RATE req/s, ms, vs 2x $p's" "$(printf '%.2f' "$ga")" "<=" \
    "$(awk -v p="$pa" 'BEGIN { printf "%.2f", (p > 0 ? 2 * p : 0) }')" \
    "gateway $(mmm 2 $(added_p99 "$g")) ms, $p $(mmm 2 $(added_p99 "$p")) ms" "$note"
done

# Where the leased gateway's CPU goes: the framework's floor against nginx, and Nexus's own work on top of the floor
floor_vs_nginx() { per_rep 'a / b' max cpu_vertx-floor vertx-floor cpu_nginx nginx; }
gateway_vs_floor() { per_rep 'a / b' max cpu_gateway-leased gateway-leased cpu_vertx-floor vertx-floor; }
quarkus_vs_nginx() { per_rep 'a / b' max cpu_quarkus-floor quarkus-floor cpu_nginx nginx; }
quarkus_vs_floor() { per_rep 'a / b' max cpu_quarkus-floor quarkus-floor cpu_vertx-floor vertx-floor; }
gateway_vs_quarkus() { per_rep 'a / b' max cpu_gateway-leased gateway-leased cpu_quarkus-floor quarkus-floor; }
echo "Where the gateway's CPU goes (no target): the bare Vert.x proxy's CPU per request / nginx's: $(mmm 2 $(floor_vs_nginx));"
echo "  the bare proxy on Quarkus / nginx: $(mmm 2 $(quarkus_vs_nginx)); / the bare Vert.x proxy: $(mmm 2 $(quarkus_vs_floor))"
echo "  the leased gateway's / the bare Vert.x proxy's: $(mmm 2 $(gateway_vs_floor)); / the bare proxy on Quarkus: $(mmm 2 $(gateway_vs_quarkus))"
json_ratio "CPU per request, bare Vert.x proxy / nginx" $(floor_vs_nginx)
json_ratio "CPU per request, bare proxy on Quarkus / nginx" $(quarkus_vs_nginx)
json_ratio "CPU per request, bare proxy on Quarkus / bare Vert.x proxy" $(quarkus_vs_floor)
json_ratio "CPU per request, leased gateway / bare Vert.x proxy" $(gateway_vs_floor)
json_ratio "CPU per request, leased gateway / bare proxy on Quarkus" $(gateway_vs_quarkus)

# ---------------------------------------------------------------------------------------------------- JSON
json_setting reps "$REPS"
json_setting duration_s "$DURATION"
json_setting warmup_s "$WARMUP"
json_setting prewarm_s "$PREWARM"
json_setting fixed_duration_s "$FIXED_DURATION"
json_setting fixed_rate "$RATE"
json_setting rate_share_percent "$RATE_SHARE"
json_setting connections "$CONNECTIONS"
json_setting gateway_build "$build_stamp"
json_setting gateway_jvm_options "${jvm_opts[*]}"
json_subject direct peer "tenant-service directly, pre-signed X-Nexus-Identity (the reference)"
json_subject gateway-leased nexus "Nexus gateway, NEXUS_GATEWAY_RATE_LIMIT_MODE=leased"
json_subject gateway-strict nexus "Nexus gateway, NEXUS_GATEWAY_RATE_LIMIT_MODE=strict"
json_subject nginx peer "$(nginx -v 2>&1 | sed 's/^nginx version: //') + limit_req"
json_subject vertx-floor peer "a bare reverse proxy on the gateway build's Vert.x/Netty (benchmarks/gateway/VertxFloorProxy.java)"
json_subject quarkus-floor peer "the same bare proxy as one route on Quarkus $quarkus_version's router, quarkus-vertx-http alone (benchmarks/gateway/quarkus-floor)"
json_subject nginx-lua peer "$(nginx -v 2>&1 | sed 's/^nginx version: //') + lua-nginx-module + lua-resty-redis, token-bucket.lua per request (EVALSHA)"
for t in "${TARGETS[@]}"; do
  json_figure "$t" max_rps "req/s" $(vals max "$t" rps)
  json_figure "$t" max_p50 ms $(vals max "$t" p50)
  json_figure "$t" max_p99 ms $(vals max "$t" p99)
  json_figure "$t" fixed_p50 ms $(vals fixed "$t" p50)
  json_figure "$t" fixed_p99 ms $(vals fixed "$t" p99)
  json_figure "$t" fixed_p999 ms $(vals fixed "$t" p999)
  json_figure "$t" redis_commands_per_request "1" $(vals max "$t" redis_cmds)
  for c in "${CPU_COLUMNS[@]}"; do
    case "$c" in gateway-* | nginx* | *-floor) [ "$c" = "$t" ] || continue ;; esac # a process of another target: idle
    json_figure "$t" "cpu_$c" "µs/request" $(vals max "$t" "cpu_$c")
  done
  [ "$t" = direct ] && continue
  json_ratio "$t/direct throughput" $(ratio_to_direct "$t")
  json_figure "$t" added_p99 ms $(added_p99 "$t")
done
for g in gateway-leased gateway-strict; do
  json_ratio "$g CPU (gateway + Redis) / ${PEER[$g]} CPU (nginx + Redis)" $(cpu_ratio "$g")
done
json_write
