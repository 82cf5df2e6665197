#!/usr/bin/env bash
# What the gateway costs (issue: tenants and the gateway). On one machine, in one run:
#   1. maximum requests/s and p50/p99 of an authenticated GET /api/v1/tenant
#        - through the gateway (key lookup, rate limit in Redis, identity signing, routing)
#        - straight to tenant-service (with a pre-signed identity)
#        - through nginx (Debian package) proxying tenant-service with limit_req
#   2. p50/p99 of the same three at a fixed 2,000 requests/s.
# Targets: gateway/direct throughput ratio >= nginx/direct ratio; gateway p99 - direct p99 <= 3 ms at 2,000 req/s.
#
#   benchmarks/gateway-overhead.sh            (starts the stack with scripts/nexus-local up if needed)
# Environment: DURATION (seconds per max-throughput run, default 15), WARMUP (seconds before each, default 15),
# RATE (default 2000), CONNECTIONS (default 32).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15}"
RATE="${RATE:-2000}"
CONNECTIONS="${CONNECTIONS:-32}"
GATEWAY=http://127.0.0.1:8000
DIRECT=http://127.0.0.1:8081
NGINX_PORT=8099
NGINX=http://127.0.0.1:$NGINX_PORT
WORK="$(mktemp -d)"
nginx_pid=""
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need hey hey
need nginx nginx-light
need jq jq
need openssl openssl

"$ROOT/scripts/nexus-local" up --no-build >/dev/null 2>&1 || "$ROOT/scripts/nexus-local" up >/dev/null
STATE="$ROOT/.nexus"
ADMIN_KEY="$(cat "$STATE/admin-key")"
INTERNAL_KEY="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"

# A tenant whose limit is never reached, so that every request pays for the rate-limit step but none is refused.
tenant="$(curl -s -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"name\": \"bench-$RANDOM$RANDOM\", \"quotas\": {\"apiCallsPerMinute\": 1000000000}}" | jq -r .id)"
read -r key key_id <<<"$(curl -s -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}' | jq -r '.key + " " + .id')"

# The identity the gateway would forward, signed once for the direct and nginx runs (HS256, valid for an hour).
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"nexus-gateway","iat":%d,"exp":%d,"role":"developer","tid":"%s","kid":"%s","ch":"api"}' \
  "$now" $((now + 3600)) "$tenant" "$key_id" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$INTERNAL_KEY" -binary | b64url)
identity="$header.$payload.$signature"

mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
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
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 1

check_ok() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$@")
  [ "$status" = 200 ] || { echo "error: $* answered $status" >&2; exit 1; }
}
check_ok -H "Authorization: Bearer $key" "$GATEWAY/api/v1/tenant"
check_ok -H "X-Nexus-Identity: $identity" "$DIRECT/api/v1/tenant"
check_ok -H "Authorization: Bearer $key" "$NGINX/api/v1/tenant"

to_ms() { # wrk latency like 1.23ms / 456.00us / 1.20s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}

# max NAME URL HEADER: prints "rps p50 p99"
max_run() {
  local url=$2 header=$3 out
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-15}s" -H "$header" "$url" >/dev/null 2>&1 # warm-up (JIT)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "$url")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") $(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") $(awk '/Non-2xx/ {print $NF}' <<<"$out")"
}

# fixed NAME URL HEADER: prints "rps p50 p99" at $RATE requests/s
fixed_run() {
  local url=$2 header=$3 workers=50 out
  out=$(hey -z 20s -c $workers -q $((RATE / workers)) -H "$header" "$url")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "50%" {print $3 * 1000}' <<<"$out") $(awk '$1 == "99%" {print $3 * 1000}' <<<"$out")"
}

echo "Measuring maximum throughput (${DURATION}s each, $CONNECTIONS connections)..."
read -r gw_rps gw_p50 gw_p99 gw_errors <<<"$(max_run gateway "$GATEWAY/api/v1/tenant" "Authorization: Bearer $key")"
read -r di_rps di_p50 di_p99 di_errors <<<"$(max_run direct "$DIRECT/api/v1/tenant" "X-Nexus-Identity: $identity")"
read -r ng_rps ng_p50 ng_p99 ng_errors <<<"$(max_run nginx "$NGINX/api/v1/tenant" "Authorization: Bearer $key")"
echo "Measuring latency at $RATE requests/s (20 s each)..."
read -r gw_frps gw_fp50 gw_fp99 <<<"$(fixed_run gateway "$GATEWAY/api/v1/tenant" "Authorization: Bearer $key")"
read -r di_frps di_fp50 di_fp99 <<<"$(fixed_run direct "$DIRECT/api/v1/tenant" "X-Nexus-Identity: $identity")"
read -r ng_frps ng_fp50 ng_fp99 <<<"$(fixed_run nginx "$NGINX/api/v1/tenant" "Authorization: Bearer $key")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
echo
printf '%-30s %12s %10s %10s %12s\n' "GET /api/v1/tenant" "max req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-30s %12s %10s %10s %12s\n' "direct to tenant-service" "$di_rps" "$di_p50" "$di_p99" "${di_errors:-0}"
printf '%-30s %12s %10s %10s %12s\n' "through the Nexus gateway" "$gw_rps" "$gw_p50" "$gw_p99" "${gw_errors:-0}"
printf '%-30s %12s %10s %10s %12s\n' "through nginx + limit_req" "$ng_rps" "$ng_p50" "$ng_p99" "${ng_errors:-0}"
echo
printf '%-30s %12s %10s %10s\n' "at $RATE req/s" "achieved" "p50 ms" "p99 ms"
printf '%-30s %12s %10s %10s\n' "direct to tenant-service" "$di_frps" "$di_fp50" "$di_fp99"
printf '%-30s %12s %10s %10s\n' "through the Nexus gateway" "$gw_frps" "$gw_fp50" "$gw_fp99"
printf '%-30s %12s %10s %10s\n' "through nginx + limit_req" "$ng_frps" "$ng_fp50" "$ng_fp99"
echo
echo "throughput ratio to direct: gateway $(ratio "$gw_rps" "$di_rps"), nginx $(ratio "$ng_rps" "$di_rps") (target: gateway >= nginx)"
echo "p99 added at $RATE req/s: gateway $(added "$gw_fp99" "$di_fp99") ms, nginx $(added "$ng_fp99" "$di_fp99") ms (target: gateway <= 3 ms)"
