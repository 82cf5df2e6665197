#!/usr/bin/env bash
# Fault suite: Redis data lost, and the Redis server restarted, under load (issue scenario 5).
# 1. On the stack's Redis, which may be shared with others: every key the stack owns (prefix nexus:, sessions, token
#    buckets, API-call meters) is deleted while four clients read a session and call the API. Oracle: no 5xx during
#    or after; an open session comes back with its data (restored from its durable record by the first use that misses
#    it) and keeps working across channels; rate limiting goes on with fresh buckets (RateLimit-* headers with the
#    tenant's full limit), as docs/api.md §2.8 says.
# 2. On a Redis server the suite owns (port 6391), used by a second gateway (8091) and a second session-service
#    (8093) that the suite starts: the server is flushed and shut down for 3 s, then started again empty, while
#    clients keep going. Oracle: no 500 and no answer other than success or a 503 problem+json with Retry-After (a
#    request whose session cannot be checked while Redis is away); afterwards the session reads back with its data and
#    takes a merge, and rate limiting works on the restarted server (a tenant allowed 10 calls a minute: the 11th is 429).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

PREFIX="${NEXUS_SESSION_KEY_PREFIX:-nexus:}"
REDIS=(redis-cli -p "${NEXUS_REDIS_PORT:-6379}")
tenant="$(new_tenant redis)"
read -r key _ <<<"$(new_key "$tenant" developer)"
check "a session is opened" test "$(api "$key" POST /api/v1/sessions '{"userId": "ada", "data": {"cart": [1, 2]}}')" = 201
session="$(body | jq -r .id)"
# Uses are written behind every second: wait until the durable record has the session.
recorded() { [ "$(sql_in session_service "SELECT count(*) FROM sessions WHERE id = '$session'")" = 1 ]; }
check "its durable record is written" eventually 10 recorded

client() {
  local until=$1 status
  while [ "$(date +%s)" -lt "$until" ]; do
    for path in "/api/v1/sessions/$session" /api/v1/tenant /api/v1/workflows; do
      status="$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$GATEWAY$path" -H "Authorization: Bearer $key" \
        -H "X-Nexus-Session: $session")"
      echo "$status $path" >>"$WORK/answers"
    done
  done
}
: >"$WORK/answers"
until=$(($(date +%s) + 8))
for n in 1 2 3 4; do client "$until" & done
sleep 2
deleted=0
for round in 1 2 3; do
  deleted=$((deleted + $("${REDIS[@]}" --scan --pattern "${PREFIX}*" | xargs -r "${REDIS[@]}" del | awk '{s += $1} END {print s + 0}')))
  sleep 1
done
wait
check "the stack's Redis keys were deleted under load ($deleted keys, $(wc -l <"$WORK/answers") requests)" test "$deleted" -gt 0
check "no answer was a 5xx ($(cut -d' ' -f1 "$WORK/answers" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'))" \
  test "$(awk '$1 >= 500' "$WORK/answers" | wc -l)" = 0
check "every answer was a success" test "$(awk '$1 != 200' "$WORK/answers" | wc -l)" = 0

"${REDIS[@]}" --scan --pattern "${PREFIX}*" | xargs -r "${REDIS[@]}" del >/dev/null
check "after one more loss the session still reads back" test "$(api "$key" GET "/api/v1/sessions/$session")" = 200
check "with its data" test "$(body | jq -c .data)" = '{"cart":[1,2]}'
check "a merge works on the restored session" \
  test "$(api "$key" PATCH "/api/v1/sessions/$session" '{"data": {"cart": [1, 2, 3]}}')" = 200
check "rate limiting goes on with a fresh bucket (RateLimit-Limit and -Remaining present)" \
  test -n "$(api "$key" GET /api/v1/tenant >/dev/null; header RateLimit-Remaining)"

echo "# 2. a Redis server of the suite's own, flushed and restarted"
OWN_REDIS_PORT="${NEXUS_FAULT_REDIS_PORT:-6391}"
GATEWAY2_PORT="${NEXUS_FAULT_GATEWAY_PORT:-8091}"
SESSIONS2_PORT="${NEXUS_FAULT_SESSION_PORT:-8093}"
GATEWAY2="http://127.0.0.1:$GATEWAY2_PORT"
OWN_REDIS=(redis-cli -p "$OWN_REDIS_PORT")
redis_pid=""
start_own_redis() {
  setsid redis-server --port "$OWN_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    >>"$STATE/logs/redis-fault-suite.log" 2>&1 </dev/null &
  redis_pid=$!
}
own_redis_ready() { [ "$("${OWN_REDIS[@]}" ping 2>/dev/null)" = PONG ]; }
cleanup_phase2() {
  stop_pid "$STATE/pids/api-gateway-$GATEWAY2_PORT.pid"
  stop_pid "$STATE/pids/session-service-$SESSIONS2_PORT.pid"
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup_phase2 EXIT
if ! stack_ready_for_faults api-gateway session-service || port_open "$OWN_REDIS_PORT" || port_open "$GATEWAY2_PORT" \
  || port_open "$SESSIONS2_PORT"; then
  check "a running stack, and ports $OWN_REDIS_PORT, $GATEWAY2_PORT and $SESSIONS2_PORT free" false
  summary
  exit 1
fi
start_own_redis
check "the suite's Redis server starts" eventually 10 own_redis_ready
start_replica session-service "$SESSIONS2_PORT" "$STATE/pids/session-service-$SESSIONS2_PORT.pid" \
  "$STATE/logs/session-service-$SESSIONS2_PORT.log" "REDIS_URL=redis://127.0.0.1:$OWN_REDIS_PORT"
start_replica api-gateway "$GATEWAY2_PORT" "$STATE/pids/api-gateway-$GATEWAY2_PORT.pid" \
  "$STATE/logs/api-gateway-$GATEWAY2_PORT.log" "REDIS_URL=redis://127.0.0.1:$OWN_REDIS_PORT" \
  "SESSION_SERVICE_URL=http://127.0.0.1:$SESSIONS2_PORT" "HOSTNAME=fault-redis-gateway"
check "a second session-service and a second gateway use it" \
  eventually 120 bash -c "curl -fs -m 2 -o /dev/null http://127.0.0.1:$SESSIONS2_PORT/q/health/ready \
    && curl -fs -m 2 -o /dev/null $GATEWAY2/q/health/ready"

tenant="$(new_tenant redis-restart)"
read -r key _ <<<"$(new_key "$tenant" developer)"
check "a session is opened through the second gateway" \
  test "$(api "$key" POST /api/v1/sessions '{"userId": "grace", "data": {"step": 1}}' "$GATEWAY2")" = 201
session="$(body | jq -r .id)"
check "its durable record is written" eventually 10 recorded

# client: like phase 1, through the second gateway; one line per answer: status content-type retry-after path
client2() {
  local until=$1 out="$WORK/client2-$BASHPID" line
  while [ "$(date +%s)" -lt "$until" ]; do
    for path in "/api/v1/sessions/$session" /api/v1/workflows; do
      line="$(curl -s -m 10 -o /dev/null -D "$out.headers" -w '%{http_code} %{content_type}' "$GATEWAY2$path" \
        -H "Authorization: Bearer $key" -H "X-Nexus-Session: $session")"
      echo "$line $(grep -i '^retry-after:' "$out.headers" | cut -d: -f2 | tr -d ' \r') $path" >>"$WORK/answers2"
    done
    sleep 0.1
  done
}
: >"$WORK/answers2"
until=$(($(date +%s) + 12))
client_pids=()
for n in 1 2 3; do
  client2 "$until" &
  client_pids+=($!)
done
sleep 2
"${OWN_REDIS[@]}" flushall >/dev/null
"${OWN_REDIS[@]}" shutdown nosave >/dev/null 2>&1
wait "$redis_pid" 2>/dev/null
sleep 3
start_own_redis
check "the suite's Redis server was flushed, stopped for 3 s and started again, empty" eventually 10 own_redis_ready
wait "${client_pids[@]}" # not a bare wait: the Redis server is a child of this shell too
check "no answer was a 500 during the restart ($(cut -d' ' -f1 "$WORK/answers2" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'))" \
  test "$(awk '$1 == 500' "$WORK/answers2" | wc -l)" = 0
awk '$1 != 200 && !($1 == 503 && $2 ~ /problem\+json/ && $3 ~ /^[0-9]+$/)' "$WORK/answers2" >"$WORK/unexpected2"
sort "$WORK/unexpected2" | uniq -c | sort -rn | head -5 | sed 's/^/# unexpected: /'
check "every answer was a success or a 503 problem+json with Retry-After" test ! -s "$WORK/unexpected2"
check "and the answers after the restart succeed" \
  test "$(tail -n 6 "$WORK/answers2" | awk '$1 != 200' | wc -l)" = 0
check "the session reads back after the restart" test "$(api "$key" GET "/api/v1/sessions/$session" "" "$GATEWAY2")" = 200
check "with its data" test "$(body | jq -c .data)" = '{"step":1}'
check "a merge works on the restored session" \
  test "$(api "$key" PATCH "/api/v1/sessions/$session" '{"data": {"step": 2}}' "$GATEWAY2")" = 200
check "and its tenant's calls carry RateLimit headers again" \
  test -n "$(api "$key" GET /api/v1/tenant "" "$GATEWAY2" >/dev/null; header RateLimit-Remaining)"
# Buckets live in the restarted server: a tenant allowed 10 calls a minute gets the 11th refused.
tenant10="$(new_tenant redis-limit '{"apiCallsPerMinute": 10}')"
read -r key10 _ <<<"$(new_key "$tenant10" developer)"
statuses="$(for i in $(seq 1 11); do api "$key10" GET /api/v1/tenant "" "$GATEWAY2"; echo; done | paste -sd' ')"
check "rate limiting applies on the restarted server: 10 calls pass, the 11th is 429 ($statuses)" \
  test "$statuses" = "200 200 200 200 200 200 200 200 200 200 429"
summary
