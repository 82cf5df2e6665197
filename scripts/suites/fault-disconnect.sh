#!/usr/bin/env bash
# Fault suite: clients that leave (issue scenario 10). A client reading an execution's event stream, and one waiting
# on a long sync start, each disconnect from the gateway. Oracle: the gateway resets its request to workflow-service,
# which ends the stream and drops the wait — its gauges nexus_workflow_event_streams_open and
# nexus_workflow_sync_starts_waiting fall back within 5 s — while the accepted execution itself goes on and still
# completes when signalled.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

WORKFLOW_METRICS="http://127.0.0.1:8082/q/metrics"
gauge() { curl -s -m 5 "$WORKFLOW_METRICS" | grep -a "^$1[{ ]" | awk '{printf "%d", $NF}'; }

tenant="$(new_tenant disconnect)"
read -r key _ <<<"$(new_key "$tenant" developer)"
check "a workflow that waits for a signal is registered" test "$(api "$key" POST /api/v1/workflows \
  '{"name": "held", "nodes": [{"id": "approval", "type": "wait", "config": {"signal": "approve"}}]}')" = 201

# --- an event stream whose client leaves ---
check "an execution is started" \
  test "$(api "$key" POST /api/v1/workflows/held/executions '{"inputs": {}, "mode": "async"}')" = 202
streamed="$(body | jq -r .executionId)"
streams_before="$(gauge nexus_workflow_event_streams_open)"
curl -s -N -m 60 "$GATEWAY/api/v1/executions/$streamed/events" -H "Authorization: Bearer $key" \
  -H 'Accept: text/event-stream' >"$WORK/stream" 2>/dev/null &
stream_pid=$!
stream_open() { [ "$(gauge nexus_workflow_event_streams_open)" -gt "$streams_before" ]; }
check "while its client reads, workflow-service serves one more event stream" eventually 10 stream_open
kill "$stream_pid" 2>/dev/null
wait "$stream_pid" 2>/dev/null
stream_closed() { [ "$(gauge nexus_workflow_event_streams_open)" -le "$streams_before" ]; }
check "the client gone, workflow-service ends the stream (within 5 s)" eventually 5 stream_closed

# --- a sync start whose client leaves ---
waits_before="$(gauge nexus_workflow_sync_starts_waiting)"
curl -s -m 60 -X POST "$GATEWAY/api/v1/workflows/held/executions" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' -d '{"inputs": {}, "waitMs": 50000}' >/dev/null 2>&1 &
start_pid=$!
waiting() { [ "$(gauge nexus_workflow_sync_starts_waiting)" -gt "$waits_before" ]; }
check "while its client waits, workflow-service holds one more sync start" eventually 10 waiting
kill "$start_pid" 2>/dev/null
wait "$start_pid" 2>/dev/null
released() { [ "$(gauge nexus_workflow_sync_starts_waiting)" -le "$waits_before" ]; }
check "the client gone, workflow-service drops the wait (within 5 s)" eventually 5 released
held="$(wf_sql "SELECT id FROM executions WHERE tenant_id = '$tenant' AND id <> '$streamed' ORDER BY created_at DESC LIMIT 1")"
check "the execution it started goes on: it is waiting for its signal" \
  test "$(wf_sql "SELECT status FROM executions WHERE id = '$held'")" = waiting
check "and completes when signalled" test "$(api "$key" POST "/api/v1/executions/$held/signals/approve" '{}')" = 202
finished() { [ "$(wf_sql "SELECT status FROM executions WHERE id = '$held'")" = completed ]; }
check "(completed)" eventually 10 finished

summary
