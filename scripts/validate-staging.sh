#!/usr/bin/env bash
# Pre-deployment validation of a staging (or any) Nexus through its gateway URL (docs/runbook.md, "Deploying").
#
#   NEXUS_ADMIN_KEY=... scripts/validate-staging.sh https://staging.example.com
#   NEXUS_API_KEY=...   scripts/validate-staging.sh https://staging.example.com        (a developer key instead)
#   NEXUS_SERVICE_URLS=http://127.0.0.1:8081,http://127.0.0.1:8082,... scripts/validate-staging.sh URL
#
# 1. scripts/smoke-test.sh URL (health of every service through /health, problem+json errors, request ids).
# 2. What a release needs beyond it: /health "up" (not "degraded": Kafka reachable everywhere) within 2 s; a key is
#    refused without a key (401 + WWW-Authenticate); an authenticated round trip with a developer key: the key's
#    tenant, rate-limit headers, a workflow registered, run synchronously with the expected output over the cli
#    channel, and deleted; a session opened, read and closed; a marketplace search; the MCP handshake listing the
#    workflow as a tool. With NEXUS_API_KEY that key is used (its tenant keeps nothing: the workflow and session are
#    removed); otherwise NEXUS_ADMIN_KEY makes a throwaway tenant and deletes it at the end.
# 3. Metrics: the gateway's /q/metrics (when the URL serves /q; an Ingress may not) and, for every base URL in
#    NEXUS_SERVICE_URLS (e.g. through `kubectl port-forward`), /q/health/live|ready|started and /q/metrics with the
#    Nexus series labelled with that service.
#
# Prints "ok - ..." / "not ok - ..." per check and a summary; exit 0 when everything passed, 1 otherwise.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GATEWAY="${1:?usage: scripts/validate-staging.sh <gateway-url>}"
GATEWAY="${GATEWAY%/}"
passed=0
failed=0
WORK="$(mktemp -d)"
TENANT=""
WORKFLOW="staging-check-$(date +%s)-$RANDOM"

check() {
  local description=$1
  shift
  if "$@"; then echo "ok - $description"; passed=$((passed + 1)); else echo "not ok - $description"; failed=$((failed + 1)); fi
}
# http METHOD URL [curl args...]: prints the status; body in $WORK/body, headers in $WORK/headers.
http() {
  local method=$1 url=$2
  shift 2
  curl -sS -m 15 -X "$method" -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$@" "$url" 2>/dev/null
}
# api KEY METHOD PATH [JSON] [curl args...]
api() {
  local key=$1 method=$2 path=$3 data=${4:-}
  shift $(($# < 4 ? $# : 4))
  if [ -n "$data" ]; then
    http "$method" "$GATEWAY$path" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$data" "$@"
  else
    http "$method" "$GATEWAY$path" -H "Authorization: Bearer $key" "$@"
  fi
}
jqb() { jq -r "$@" "$WORK/body" 2>/dev/null; }
has_header() { grep -qi "^$1:" "$WORK/headers"; }
cleanup() {
  [ -n "${KEY:-}" ] && api "$KEY" DELETE "/api/v1/workflows/$WORKFLOW" >/dev/null
  [ -n "$TENANT" ] && api "$NEXUS_ADMIN_KEY" DELETE "/api/v1/tenants/$TENANT" >/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v jq >/dev/null || { echo "not ok - jq is required"; exit 1; }

# --- 1. the smoke test -------------------------------------------------------------------------------------------
smoke="$("$ROOT/scripts/smoke-test.sh" "$GATEWAY" 2>&1)"
smoke_status=$?
sed 's/^/# smoke: /' <<<"$smoke"
check "scripts/smoke-test.sh passes ($(tail -n 1 <<<"$smoke"))" test "$smoke_status" -eq 0

# --- 2. what staging adds ----------------------------------------------------------------------------------------
status="$(curl -sS -m 15 -o "$WORK/body" -w '%{http_code} %{time_total}' "$GATEWAY/health" 2>/dev/null)"
check "/health answers 200 within 2 s (${status})" awk -v s="$status" 'BEGIN { split(s, a, " "); exit !(a[1] == 200 && a[2] < 2) }'
check "/health says up, not degraded ($(jqb .status))" test "$(jqb .status)" = up

status="$(http GET "$GATEWAY/api/v1/workflows")"
check "a request without a key is 401 ($status)" test "$status" = 401
check "with WWW-Authenticate: Bearer" grep -qi '^www-authenticate: bearer' "$WORK/headers"

KEY="${NEXUS_API_KEY:-}"
if [ -z "$KEY" ]; then
  if [ -z "${NEXUS_ADMIN_KEY:-}" ]; then
    echo "not ok - set NEXUS_API_KEY (a developer key) or NEXUS_ADMIN_KEY for the authenticated round trip"
    failed=$((failed + 1))
    echo "validate-staging: $passed passed, $failed failed"
    exit 1
  fi
  status="$(api "$NEXUS_ADMIN_KEY" POST /api/v1/tenants "{\"name\": \"staging-check-$(date +%s)-$RANDOM\"}")"
  TENANT="$(jqb .id)"
  check "the platform admin creates a throwaway tenant ($status)" test "$status" = 201
  api "$NEXUS_ADMIN_KEY" POST "/api/v1/tenants/$TENANT/api-keys" '{"name": "staging-check", "role": "developer"}' >/dev/null
  KEY="$(jqb .key)"
fi

status="$(api "$KEY" GET /api/v1/tenant)"
check "the key resolves to its tenant ($status, $(jqb .status))" test "$status" = 200 -a "$(jqb .status)" = active
check "answers carry RateLimit-Limit and RateLimit-Remaining" bash -c \
  "grep -qi '^ratelimit-limit:' '$WORK/headers' && grep -qi '^ratelimit-remaining:' '$WORK/headers'"

definition="{\"name\": \"$WORKFLOW\", \"description\": \"scripts/validate-staging.sh\",
  \"inputSchema\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"integer\"}}, \"required\": [\"x\"]},
  \"nodes\": [{\"id\": \"double\", \"type\": \"transform\", \"config\": {\"expression\": \"{\\\"y\\\": inputs.x * 2}\"}}],
  \"edges\": []}"
status="$(api "$KEY" POST /api/v1/workflows "$definition")"
check "a workflow is registered ($status)" test "$status" = 201
status="$(api "$KEY" POST "/api/v1/workflows/$WORKFLOW/executions" '{"inputs": {"x": 21}}' -H 'X-Nexus-Channel: cli' \
  -H 'X-Request-Id: validate-staging-1')"
check "and runs synchronously to completed with y = 42 ($status, $(jqb .status))" \
  test "$status" = 200 -a "$(jqb .outputs.double.y)" = 42
execution="$(jqb .executionId)"
check "the request id is echoed on the start" grep -qi '^x-request-id: validate-staging-1' "$WORK/headers"
status="$(api "$KEY" GET "/api/v1/executions/$execution")"
check "the execution reads back with channel cli and its step ($status)" \
  test "$(jqb .channel)" = cli -a "$(jqb '.steps | length')" = 1

status="$(api "$KEY" POST /api/v1/sessions '{"userId": "staging-check", "ttlSeconds": 60}' -H 'X-Nexus-Channel: cli')"
session="$(jqb .id)"
check "a session opens ($status)" test "$status" = 201
status="$(api "$KEY" GET "/api/v1/sessions/$session")"
check "reads back ($status)" test "$status" = 200
check "and closes (204)" test "$(api "$KEY" DELETE "/api/v1/sessions/$session")" = 204

status="$(api "$KEY" GET '/api/v1/marketplace/items?q=workflow&limit=1')"
check "a marketplace search answers ($status, total $(jqb .total))" test "$status" = 200 -a -n "$(jqb .total)"

mcp_headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
status="$(api "$KEY" POST /mcp '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
  "capabilities":{},"clientInfo":{"name":"validate-staging","version":"1"}}}' "${mcp_headers[@]}")"
mcp_session="$(grep -i '^mcp-session-id:' "$WORK/headers" | cut -d: -f2- | tr -d ' \r')"
check "MCP initialize answers with a session ($status)" test "$status" = 200 -a -n "$mcp_session"
api "$KEY" POST /mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}' "${mcp_headers[@]}" \
  -H "Mcp-Session-Id: $mcp_session" >/dev/null
api "$KEY" POST /mcp '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "${mcp_headers[@]}" \
  -H "Mcp-Session-Id: $mcp_session" >/dev/null
check "MCP tools/list names the workflow" grep -q "\"$WORKFLOW\"" "$WORK/body"
api "$KEY" DELETE /mcp '' -H "Mcp-Session-Id: $mcp_session" >/dev/null

check "the workflow is deleted (204)" test "$(api "$KEY" DELETE "/api/v1/workflows/$WORKFLOW")" = 204

# --- 3. metrics and per-service health ---------------------------------------------------------------------------
status="$(http GET "$GATEWAY/q/metrics")"
if [ "$status" = 200 ]; then
  check "the gateway's /q/metrics counts the sync start on channel cli" grep -q \
    '^nexus_channel_request_duration_seconds_count{channel="cli",method="POST",route="/api/v1/workflows/{name}/executions",service="api-gateway",status="200"}' \
    "$WORK/body"
else
  echo "# the gateway URL does not serve /q/metrics ($status): set NEXUS_SERVICE_URLS to check metrics directly"
fi
IFS=, read -r -a service_urls <<<"${NEXUS_SERVICE_URLS:-}"
for base in "${service_urls[@]}"; do
  base="${base%/}"
  for probe in live ready started; do
    check "$base/q/health/$probe answers 200" test "$(http GET "$base/q/health/$probe")" = 200
  done
  status="$(http GET "$base/q/metrics")"
  service="$(grep -a -o '^nexus_errors_total{service="[^"]*"' "$WORK/body" | head -n 1 | cut -d'"' -f2)"
  check "$base/q/metrics exports the Nexus series (service=${service:-none})" \
    test "$status" = 200 -a -n "$service"
  check "$base/q/metrics has nexus_memory_usage_bytes and the request histogram" bash -c \
    "grep -q '^nexus_memory_usage_bytes{' '$WORK/body' && grep -q '^nexus_channel_request_duration_seconds_bucket{' '$WORK/body'"
done

echo "validate-staging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
