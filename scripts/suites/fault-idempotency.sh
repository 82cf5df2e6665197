#!/usr/bin/env bash
# Fault suite: one Idempotency-Key sent 50 times, concurrently and then sequentially (issue scenario 6), on an
# execution start and on an API key's creation.
# Oracle: exactly one resource is created per key; every successful answer is the first one's (same status, same
# resource id); the only other answer is 409 problem+json while the first is still in flight; no 5xx.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

tenant="$(new_tenant idempotency)"
read -r key _ <<<"$(new_key "$tenant" developer)"
definition='{"name": "idem", "nodes": [{"id": "pause", "type": "delay", "config": {"durationMs": 300}},
  {"id": "echo", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}}],
  "edges": [{"from": "pause", "to": "echo"}]}'
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

# fire N PARALLEL KEY METHOD URL BODY AUTH: N requests (PARALLEL at a time); answers in $WORK/fire/<i>.{status,body}
fire() {
  local count=$1 parallel=$2 idem=$3 method=$4 url=$5 data=$6 auth=$7
  rm -rf "$WORK/fire" && mkdir -p "$WORK/fire"
  seq 1 "$count" | xargs -P "$parallel" -I{} sh -c 'curl -s -m 30 -X "$1" "$2" -H "Authorization: Bearer $3" \
      -H "Content-Type: application/json" -H "Idempotency-Key: $4" -d "$5" -o "$6/{}.body" -D "$6/{}.headers" \
      -w "%{http_code}" >"$6/{}.status"' _ "$method" "$url" "$auth" "$idem" "$data" "$WORK/fire"
}
statuses() { awk 1 "$WORK"/fire/*.status | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'; }
# ids_of_successes JQ: the distinct values of JQ over every 2xx answer
ids_of_successes() {
  local f
  for f in "$WORK"/fire/*.status; do
    case "$(cat "$f")" in 2*) jq -r "$1" "${f%.status}.body" ;; esac
  done | sort -u
}
only_success_or_conflict() {
  local f status
  for f in "$WORK"/fire/*.status; do
    status="$(cat "$f")"
    case "$status" in
      2*) ;;
      409) grep -qi '^content-type: application/problem+json' "${f%.status}.headers" || return 1 ;;
      *) return 1 ;;
    esac
  done
}

# --- execution starts -------------------------------------------------------------------------------------------
for round in concurrent sequential; do
  idem="start-$round-$RANDOM"
  if [ "$round" = concurrent ]; then parallel=25; else parallel=1; fi
  fire 50 "$parallel" "$idem" POST "$GATEWAY/api/v1/workflows/idem/executions" '{"inputs": {"n": 7}}' "$key"
  check "start, $round: answers are the first one's or 409 while in flight ($(statuses))" only_success_or_conflict
  check "start, $round: every successful answer names the same execution" \
    test "$(ids_of_successes .executionId | wc -l)" = 1
  execution="$(ids_of_successes .executionId)"
  check "start, $round: exactly one execution exists for the key" \
    test "$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND id = '$execution'")" = 1
done
check "two keys, two executions: the tenant has exactly 2" \
  test "$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant'")" = 2
# Sequential replays after the end must be byte-identical: the first answer is remembered, not recomputed.
fire 5 1 "$idem" POST "$GATEWAY/api/v1/workflows/idem/executions" '{"inputs": {"n": 7}}' "$key"
check "replays after the end are identical bodies" test "$(cat "$WORK"/fire/*.body | sort -u | wc -l)" = 1
fire 1 1 "$idem" POST "$GATEWAY/api/v1/workflows/idem/executions" '{"inputs": {"n": 8}}' "$key"
check "the same key with another body is 422" test "$(cat "$WORK/fire/1.status")" = 422

# --- API keys (a creating POST other than a start) --------------------------------------------------------------
for round in concurrent sequential; do
  idem="key-$round-$RANDOM"
  if [ "$round" = concurrent ]; then parallel=25; else parallel=1; fi
  fire 50 "$parallel" "$idem" POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" \
    "{\"name\": \"idem-$round\", \"role\": \"viewer\"}" "$NEXUS_ADMIN_KEY"
  check "api key, $round: answers are the first one's or 409 while in flight ($(statuses))" only_success_or_conflict
  check "api key, $round: every successful answer names the same key" test "$(ids_of_successes .id | wc -l)" = 1
  api admin GET "/api/v1/tenants/$tenant/api-keys?limit=100" >/dev/null
  check "api key, $round: exactly one key named idem-$round exists" \
    test "$(body | jq "[.items[] | select(.name == \"idem-$round\")] | length")" = 1
done

summary
