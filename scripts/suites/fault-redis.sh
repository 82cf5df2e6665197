#!/usr/bin/env bash
# Fault suite: the stack's Redis data lost under load (issue scenario 5, on a shared Redis server).
# Every key the stack owns (prefix nexus:, sessions, token buckets, API-call meters) is deleted while four clients
# read a session and call the API. Oracle: no 5xx during or after; an open session comes back with its data (restored
# from its durable record by the first use that misses it) and keeps working across channels; rate limiting goes on
# with fresh buckets (RateLimit-* headers with the tenant's full limit), as docs/api.md §2.8 says.
# Restarting the Redis server itself is covered by session-service's SessionDurabilityTest, which owns its server:
# this suite's Redis is shared with other users, so it deletes only the stack's own keys.
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

summary
