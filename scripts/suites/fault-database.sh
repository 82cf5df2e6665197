#!/usr/bin/env bash
# Fault suite: PostgreSQL backends killed under load (issue scenario 4).
# While four clients start sync executions through the gateway, every connection of workflow-service and
# tenant-service to PostgreSQL is terminated (pg_terminate_backend), three times. Oracle: no answer is a 500; a
# refusal is a fast (< 3 s) 503 problem+json with Retry-After; every acknowledged execution (200 or 202 with an
# executionId) exists and ends; the pools recover: afterwards every start succeeds again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

tenant="$(new_tenant database '{"concurrentExecutions": 1000, "executionsPerDay": 100000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
definition='{"name": "db-fault", "nodes": [
  {"id": "a", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
  {"id": "b", "type": "transform", "config": {"expression": "{\"double\": nodes.a.n * 2}"}}],
  "edges": [{"from": "a", "to": "b"}]}'
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

DURATION=15
# client N: sync starts until the deadline; one line per answer: status millis executionId content-type retry-after
client() {
  local n=$1 until=$2 out="$WORK/client-$1" i=0
  while [ "$(date +%s)" -lt "$until" ]; do
    i=$((i + 1))
    curl -s -m 30 -X POST "$GATEWAY/api/v1/workflows/db-fault/executions" -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -d "{\"inputs\": {\"n\": $i}}" -o "$out.body" -D "$out.headers" \
      -w '%{http_code} %{time_total}' >"$out.status" 2>/dev/null
    read -r status seconds <"$out.status"
    printf '%s %s %s %s %s\n' "$status" "$(awk -v s="${seconds:-0}" 'BEGIN {printf "%d", s * 1000}')" \
      "$(jq -r '.executionId // "-"' "$out.body" 2>/dev/null || echo -)" \
      "$(grep -i '^content-type:' "$out.headers" | head -1 | cut -d: -f2 | tr -d ' \r;' | cut -d';' -f1)" \
      "$(grep -i '^retry-after:' "$out.headers" | head -1 | cut -d: -f2 | tr -d ' \r')" >>"$WORK/answers"
    # an unexpected answer is kept, so that a failing run shows what the service said
    case "$status" in 200 | 202 | 503) ;; *) { echo "$status $(head -c 600 "$out.body")"; } >>"$WORK/unexpected" ;; esac
  done
}
terminate_backends() {
  sql_in postgres "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname IN ('workflow_service', 'tenant_service') AND usename = current_user AND pid <> pg_backend_pid()"
}

: >"$WORK/answers"
until=$(($(date +%s) + DURATION))
for n in 1 2 3 4; do client "$n" "$until" & done
killed=0
for at in 3 7 11; do
  sleep 4
  killed=$((killed + $(terminate_backends)))
done
wait
total="$(wc -l <"$WORK/answers")"
check "$killed database connections were terminated during $total starts" test "$killed" -gt 0
check "no answer was a 500 or another unexpected status ($(cut -d' ' -f1 "$WORK/answers" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'))" \
  test "$(awk '$1 != 200 && $1 != 202 && $1 != 503' "$WORK/answers" | wc -l)" = 0
[ -s "$WORK/unexpected" ] && sed 's/^/# unexpected: /' "$WORK/unexpected" | head -5
check "every 503 is problem+json with Retry-After" \
  test "$(awk '$1 == 503 && ($4 != "application/problem+json" || $5 == "")' "$WORK/answers" | wc -l)" = 0
check "every 503 came fast (slowest $(awk '$1 == 503 {print $2}' "$WORK/answers" | sort -n | tail -1) ms, bound 3000)" \
  test "$(awk '$1 == 503 && $2 >= 3000' "$WORK/answers" | wc -l)" = 0

acknowledged="$(awk '($1 == 200 || $1 == 202) && $3 != "-" {print "'"'"'" $3 "'"'"'"}' "$WORK/answers" | paste -sd,)"
count_ack="$(awk '($1 == 200 || $1 == 202) && $3 != "-"' "$WORK/answers" | wc -l)"
check "some starts were acknowledged ($count_ack)" test "$count_ack" -gt 0
ended() {
  [ "$(wf_sql "SELECT count(*) FROM executions WHERE id IN ($acknowledged) AND status = 'completed'")" = "$count_ack" ]
}
check "every acknowledged execution exists and completed" eventually 60 ended
check "each with its two steps" \
  test "$(wf_sql "SELECT count(*) FROM execution_steps WHERE execution_id IN ($acknowledged) AND status = 'completed'")" = $((count_ack * 2))

recovered=0
for i in $(seq 1 10); do
  [ "$(api "$key" POST /api/v1/workflows/db-fault/executions "{\"inputs\": {\"n\": $i}}")" = 200 ] && recovered=$((recovered + 1))
done
check "the pools recovered: $recovered of 10 starts afterwards succeed" test "$recovered" = 10

summary
