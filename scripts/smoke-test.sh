#!/usr/bin/env bash
# The runbook's smoke test: checks a running Nexus through its gateway.
#
#   scripts/smoke-test.sh http://localhost:8000
#
# Prints one line per check ("ok - ..." / "not ok - ...") and a summary; exits non-zero when any check fails.
# Needs curl and jq.
set -uo pipefail

GATEWAY="${1:?usage: scripts/smoke-test.sh <gateway-url>}"
GATEWAY="${GATEWAY%/}"
EXPECTED_SERVICES=(api-gateway tenant-service workflow-service session-service marketplace-service)
passed=0
failed=0

command -v jq >/dev/null || { echo "not ok - jq is required (apt-get install jq)"; exit 1; }

check() {
  local description=$1
  shift
  if "$@"; then
    echo "ok - $description"
    passed=$((passed + 1))
  else
    echo "not ok - $description"
    failed=$((failed + 1))
  fi
}

body_file="$(mktemp)"
headers_file="$(mktemp)"
trap 'rm -f "$body_file" "$headers_file"' EXIT

fetch() { curl -sS -m 10 -D "$headers_file" -o "$body_file" -w '%{http_code}' "$@" 2>/dev/null; }
body_has() { jq -e "$@" "$body_file" >/dev/null 2>&1; }

status="$(fetch "$GATEWAY/health")"
check "GET /health answers 200 (got $status)" test "$status" = 200
check "/health is JSON with an overall status" body_has '.status == "up" or .status == "degraded"'
for service in "${EXPECTED_SERVICES[@]}"; do
  state="$(jq -r --arg s "$service" '.services[]? | select(.name == $s) | .status' "$body_file" 2>/dev/null)"
  check "$service is ready through the gateway (${state:-missing})" test "$state" = up
done
kafka_states="$(jq -r '[.services[]?.dependencies.kafka // "missing"] | unique | join(",")' "$body_file" 2>/dev/null)"
check "every service reports Kafka as up or degraded (${kafka_states:-none})" \
  body_has --argjson n "${#EXPECTED_SERVICES[@]}" '[.services[]?.dependencies.kafka | select(. == "up" or . == "degraded")] | length == $n'

status="$(fetch -H 'X-Request-Id: smoke-test-1' "$GATEWAY/api/v1/smoke-test-no-such-resource")"
check "an unknown API path answers 404 (got $status)" test "$status" = 404
check "errors are application/problem+json" grep -qi '^content-type: application/problem+json' "$headers_file"
check "the request id is echoed" grep -qi '^x-request-id: smoke-test-1' "$headers_file"

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
