#!/usr/bin/env bash
# Workflows through the gateway, as a client sees them (docs/api.md §4, §5): register, run sync and async, the channel a
# client declares recorded on the execution, Idempotency-Key replays, and a quota refusal that names the quota.
source "$(dirname "$0")/lib.sh"

tenant="$(new_tenant workflows '{"concurrentExecutions": 50, "executionsPerDay": 1000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
read -r viewer _ <<<"$(new_key "$tenant" viewer)"

definition='{"name": "suite-three-steps",
  "inputSchema": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
  "nodes": [{"id": "double", "type": "transform", "config": {"expression": "{\"y\": inputs.x * 2}"}},
            {"id": "inc", "type": "transform", "config": {"expression": "{\"z\": nodes.double.y + 1}"}},
            {"id": "shape", "type": "transform", "config": {"expression": "{\"result\": nodes.inc.z}"}}],
  "edges": [{"from": "double", "to": "inc"}, {"from": "inc", "to": "shape"}]}'

check "a developer registers a workflow (201)" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201
check "a viewer may not register one (403)" test "$(api "$viewer" POST /api/v1/workflows "$definition")" = 403

status="$(http POST "$GATEWAY/api/v1/workflows/suite-three-steps/executions" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' -H 'X-Nexus-Channel: cli' -d '{"inputs": {"x": 20}}')"
check "a sync execution through the gateway answers 200" test "$status" = 200
check "with the outputs of its last node" test "$(body | jq -r .outputs.shape.result)" = 41
execution="$(body | jq -r .executionId)"
api "$viewer" GET "/api/v1/executions/$execution" >/dev/null
check "the execution records the channel the client declared" test "$(body | jq -r .channel)" = cli
check "and lists its three steps completed" test "$(body | jq -r '[.steps[].status] | join(",")')" = \
  "completed,completed,completed"

check "bad inputs are refused before anything runs (400)" \
  test "$(api "$key" POST /api/v1/workflows/suite-three-steps/executions '{"inputs": {"x": "many"}}')" = 400

api "$key" POST /api/v1/workflows/suite-three-steps/executions '{"inputs": {"x": 1}, "mode": "async"}' >/dev/null
async_id="$(body | jq -r .executionId)"
check "an async start answers 202 pending with a relative Location" \
  test "$(header Location)" = "/api/v1/executions/$async_id"
completed() { api "$viewer" GET "/api/v1/executions/$async_id" >/dev/null && [ "$(body | jq -r .status)" = completed ]; }
check "and completes" eventually 10 completed

idempotent() {
  http POST "$GATEWAY/api/v1/workflows/suite-three-steps/executions" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $1" -d "$2"
}
idempotent suite-key '{"inputs": {"x": 3}}' >/dev/null
first="$(body | jq -r .executionId)"
idempotent suite-key '{"inputs": {"x": 3}}' >/dev/null
check "a retry with the same Idempotency-Key returns the first execution" test "$(body | jq -r .executionId)" = "$first"
check "the same key with another body is 422" test "$(idempotent suite-key '{"inputs": {"x": 4}}')" = 422

summary
