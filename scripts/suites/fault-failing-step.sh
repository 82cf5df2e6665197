#!/usr/bin/env bash
# Fault suite: a step that always fails (issue scenario 9).
# Oracle: the node is tried as often as its retry policy says, with the backoff between attempts, then the execution
# ends `failed` with the node's error, exactly once; afterwards nothing keeps re-driving it: workflow-service is idle
# (its CPU over 5 s stays far below a busy core) and the execution's step record does not change any more.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

if ! stack_ready_for_faults workflow-service; then
  check "a running stack started by nexus-local (workflow-service environment, pid and jar)" false
  summary
  exit 1
fi

tenant="$(new_tenant failing)"
read -r key _ <<<"$(new_key "$tenant" developer)"
ATTEMPTS=4
BACKOFF_MS=700
definition="{\"name\": \"always-fails\",
  \"nodes\": [{\"id\": \"divide\", \"type\": \"transform\", \"config\": {\"expression\": \"{\\\"q\\\": 1 / (inputs.n - inputs.n)}\"},
              \"retry\": {\"maxAttempts\": $ATTEMPTS, \"backoffMs\": $BACKOFF_MS}}]}"
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

COUNT=5
ids=()
for n in $(seq 1 $COUNT); do
  api "$key" POST /api/v1/workflows/always-fails/executions "{\"mode\": \"async\", \"inputs\": {\"n\": $n}}" >/dev/null
  ids+=("$(body | jq -r .executionId)")
done
id_list="$(printf "'%s'," "${ids[@]}")"
id_list="${id_list%,}"
all_failed() { [ "$(wf_sql "SELECT count(*) FROM executions WHERE id IN ($id_list) AND status = 'failed'")" = "$COUNT" ]; }
check "all $COUNT executions end failed" eventually 60 all_failed

api "$key" GET "/api/v1/executions/${ids[0]}" >/dev/null
check "the error is the node's: code expression, node divide" \
  test "$(body | jq -r '[.error.code, .error.node] | join(" ")')" = "expression divide"
check "the step was tried $ATTEMPTS times" test "$(body | jq -r '.steps[0].attempts')" = "$ATTEMPTS"
elapsed_ms="$(wf_sql "SELECT min(extract(epoch FROM finished_at - started_at) * 1000)::bigint FROM executions WHERE id IN ($id_list)")"
min_ms=$(((ATTEMPTS - 1) * BACKOFF_MS))
check "with the backoff between attempts (the quickest run took ${elapsed_ms} ms, at least $min_ms)" \
  test "$elapsed_ms" -ge "$min_ms"
check "each execution has exactly one step record" \
  test "$(wf_sql "SELECT count(*) FROM execution_steps WHERE execution_id IN ($id_list)")" = "$COUNT"
check "and exactly one failure event each" \
  test "$(wf_sql "SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.execution.failed' AND aggregate_id IN ($id_list)")" = "$COUNT"

# No hot loop: sample workflow-service's CPU over 5 s once everything has ended.
snapshot() { wf_sql "SELECT string_agg(id || status || coalesce(lease_owner, '-') || coalesce(lease_until::text, '-') || finished_at, ',' ORDER BY id) FROM executions WHERE id IN ($id_list)"; }
before="$(snapshot)"
pid="$(service_pid workflow-service)"
ticks_hz="$(getconf CLK_TCK)"
start_ticks="$(cpu_ticks "$pid")"
sleep 5
used_ticks=$(($(cpu_ticks "$pid") - start_ticks))
used_ms=$((used_ticks * 1000 / ticks_hz))
check "workflow-service is idle afterwards: ${used_ms} ms of CPU in 5 s (a hot loop would burn ~5000)" \
  test "$used_ms" -lt 1500
check "and the failed executions are left alone (no lease, no update)" test "$(snapshot)" = "$before"

summary
