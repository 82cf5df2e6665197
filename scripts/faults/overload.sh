#!/usr/bin/env bash
# Fault suite: overload at twice the measured capacity (issue scenario 7), by scripts/faults/Overload.java.
# Oracle (Overload.java prints one check per point): every request is answered — completed (200) or refused with
# 429/503 problem+json and Retry-After, never a timeout, a connection failure or another 5xx; the overload is partly
# refused; what is accepted keeps a bounded p99; afterwards every start completes quickly again. Here also: memory
# stays bounded (each service's resident memory after the overload is below its limit) and every service is still up.
# NEXUS_OVERLOAD_SECONDS (60) sets the overload's length.
# A soak of its own, outside `scripts/nexus-local test` (it saturates the machine for over a minute):
#   NEXUS_ADMIN_KEY=$(cat .nexus/admin-key) NEXUS_STATE_DIR=.nexus NEXUS_ROOT=. scripts/faults/overload.sh http://127.0.0.1:8000
source "$(dirname "$0")/../suites/lib.sh"
source "$(dirname "$0")/../suites/faults/common.sh"

SERVICES_UNDER_LOAD=(api-gateway workflow-service)
RSS_LIMIT_MB="${NEXUS_OVERLOAD_RSS_LIMIT_MB:-900}"
if ! stack_ready_for_faults "${SERVICES_UNDER_LOAD[@]}"; then
  check "a running stack started by nexus-local" false
  summary
  exit 1
fi
tenant="$(new_tenant overload '{"concurrentExecutions": 100000, "executionsPerDay": 10000000, "apiCallsPerMinute": 10000000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
definition='{"name": "overload", "nodes": [
  {"id": "a", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
  {"id": "b", "type": "transform", "config": {"expression": "{\"double\": nodes.a.n * 2}"}}],
  "edges": [{"from": "a", "to": "b"}]}'
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

rss_mb() { awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$(service_pid "$1")/status"; }
java -Xmx256m "$ROOT_DIR/scripts/faults/Overload.java" --url "$GATEWAY" --key "$key" --workflow overload \
  --overload-seconds "${NEXUS_OVERLOAD_SECONDS:-60}" >"$WORK/overload.out" 2>&1
cat "$WORK/overload.out"
passed=$((passed + $(grep -c '^ok ' "$WORK/overload.out")))
failed=$((failed + $(grep -c '^not ok ' "$WORK/overload.out")))
check "the overload run reported its checks" grep -q '^RESULT ' "$WORK/overload.out"
for svc in "${SERVICES_UNDER_LOAD[@]}"; do
  check "$svc is still running, resident memory $(rss_mb "$svc") MiB (limit $RSS_LIMIT_MB)" \
    test "$(rss_mb "$svc")" -lt "$RSS_LIMIT_MB"
done
check "the gateway reports every service up" \
  test "$(curl -s -m 5 "$GATEWAY/health" | jq -r .status)" = up

summary
