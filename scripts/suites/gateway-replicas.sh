#!/usr/bin/env bash
# Two gateway instances sharing Redis (docs/api.md §4): a revoked key, a suspended tenant and a lowered quota are in force
# on both within 1 second, and the tenant's rate limit is one budget across both: the (N+1)-th call in the window is
# 429 with Retry-After whichever instance takes it. Starts a second gateway on port 8090 and stops it afterwards.
source "$(dirname "$0")/lib.sh"

SECOND_PORT=8090
SECOND="http://127.0.0.1:$SECOND_PORT"
env_file="${NEXUS_STATE_DIR:?}/state/api-gateway.env"
jar="${NEXUS_ROOT:?}/api-gateway/target/quarkus-app/quarkus-run.jar"
second_pid=""
stop_second() { [ -n "$second_pid" ] && kill "$second_pid" 2>/dev/null && wait "$second_pid" 2>/dev/null; rm -rf "$WORK"; }
trap stop_second EXIT

if [ ! -f "$env_file" ] || [ ! -f "$jar" ]; then
  check "a running stack started by nexus-local (gateway environment and jar)" false
  summary
  exit 1
fi
mapfile -t gateway_env <"$env_file"
env "${gateway_env[@]}" QUARKUS_HTTP_PORT=$SECOND_PORT HOSTNAME=suite-second-gateway \
  java -Xmx256m -jar "$jar" >"$NEXUS_STATE_DIR/logs/api-gateway-second.log" 2>&1 &
second_pid=$!
second_ready() { curl -fs -m 2 -o /dev/null "$SECOND/q/health/ready"; }
check "a second gateway instance starts" eventually 60 second_ready

tenant="$(new_tenant replicas '{"apiCallsPerMinute": 6}')"
read -r key _ <<<"$(new_key "$tenant" developer)"

# --- one budget across both instances ---
statuses=""
for i in 1 2 3 4 5 6; do
  if [ $((i % 2)) = 0 ]; then statuses+="$(api "$key" GET /api/v1/tenant "" "$SECOND") "; else statuses+="$(api "$key" GET /api/v1/tenant) "; fi
done
check "six calls across both instances all pass ($statuses)" test "$statuses" = "200 200 200 200 200 200 "
check "the 7th call is 429 on the first instance" test "$(api "$key" GET /api/v1/tenant)" = 429
check "with Retry-After" test -n "$(header Retry-After)"
check "and RateLimit headers" test "$(header RateLimit-Limit)" = 6
check "the 8th call is 429 on the second instance too" test "$(api "$key" GET /api/v1/tenant "" "$SECOND")" = 429
check "429 is problem+json" bash -c "body_type=\$(grep -i '^content-type' '$WORK/headers'); [[ \"\$body_type\" == *problem+json* ]]"

# --- revocation within 1 s on both ---
read -r revoked_key revoked_id <<<"$(new_key "$tenant" viewer)"
api admin PATCH "/api/v1/tenants/$tenant" '{"quotas": {"apiCallsPerMinute": 1000}}' >/dev/null
warm() { test "$(api "$revoked_key" GET /api/v1/tenant)" = 200 && test "$(api "$revoked_key" GET /api/v1/tenant "" "$SECOND")" = 200; }
check "a fresh key works on both instances (caches warm)" eventually 2 warm
api admin DELETE "/api/v1/tenants/$tenant/api-keys/$revoked_id" >/dev/null
gone_first() { test "$(api "$revoked_key" GET /api/v1/tenant)" = 401; }
gone_second() { test "$(api "$revoked_key" GET /api/v1/tenant "" "$SECOND")" = 401; }
check "revoked: 401 on the first instance within 1 s" eventually 1 gone_first
check "revoked: 401 on the second instance within 1 s" eventually 1 gone_second

# --- a lowered quota within 1 s on both ---
limit_is() { api "$key" GET /api/v1/tenant "" "${2:-$GATEWAY}" >/dev/null; test "$(header RateLimit-Limit)" = "$1"; }
first_1000() { limit_is 1000; }
second_1000() { limit_is 1000 "$SECOND"; }
check "quota 1000 in force on the first instance" eventually 2 first_1000
check "quota 1000 in force on the second instance" eventually 2 second_1000
api admin PATCH "/api/v1/tenants/$tenant" '{"quotas": {"apiCallsPerMinute": 50}}' >/dev/null
first_50() { limit_is 50; }
second_50() { limit_is 50 "$SECOND"; }
check "a lowered quota is in force on the first instance within 1 s" eventually 1 first_50
check "a lowered quota is in force on the second instance within 1 s" eventually 1 second_50

# --- suspension within 1 s on both ---
api admin PATCH "/api/v1/tenants/$tenant" '{"status": "suspended"}' >/dev/null
suspended_first() { test "$(api "$key" GET /api/v1/tenant)" = 403; }
suspended_second() { test "$(api "$key" GET /api/v1/tenant "" "$SECOND")" = 403; }
check "suspended: 403 on the first instance within 1 s" eventually 1 suspended_first
check "suspended: 403 on the second instance within 1 s" eventually 1 suspended_second

summary
