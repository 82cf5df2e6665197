#!/usr/bin/env bash
# Fault suite: one of two workflow-service replicas killed with SIGKILL mid-sub-workflow, mid-http-step and while its
# outbox relay has events to publish (issue scenarios 1 and 2).
# A second replica runs beside nexus-local's; parents that publish an event and then run a child (which calls a slow
# HTTP target, then pauses) are started in a burst through the gateway, and the gateway's replica is killed while
# children are running, some inside their http call, and starts are still arriving. Both replicas may call loopback
# targets for this suite only (nexus-local's is restarted so, and restarted as configured after the kill). Oracle, with the survivor alone: every execution that exists ends in exactly one terminal state within
# the lease time plus the work left; every acknowledged start is among them; each node's step is recorded once and
# completed; each parent's event is in the outbox once and every outbox row is published (the survivor's relay takes
# over); tenant-service's usage, fed by the execution events after consumer de-duplication, counts every start
# exactly once and no execution as still live. Then the killed replica is started again and the extra one stopped
# with SIGTERM, which must end it within 30 s.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"

PORT=8082
SURVIVOR_PORT="${NEXUS_FAULT_REPLICA_PORT:-8092}"
SURVIVOR_PID="$STATE/pids/workflow-service-$SURVIVOR_PORT.pid"
COUNT=40
if ! stack_ready_for_faults workflow-service || port_open "$SURVIVOR_PORT"; then
  check "a running stack started by nexus-local, and port $SURVIVOR_PORT free for a second replica" false
  summary
  exit 1
fi

# The http node's target: answers after 1.5 s, counting its calls (a step re-driven after the kill calls again).
TARGET_PORT="${NEXUS_FAULT_TARGET_PORT:-8095}"
cat >"$WORK/target.py" <<'PY'
import http.server, sys, time
class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[3], "a") as arrivals:
            arrivals.write(self.path + "\n")
        time.sleep(1.5)
        with open(sys.argv[2], "a") as calls:
            calls.write(self.path + "\n")
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
PY
: >"$WORK/target-calls"
: >"$WORK/target-arrivals"
# (stderr dropped: a call cut by the kill ends in a broken pipe there, which is the point)
python3 "$WORK/target.py" "$TARGET_PORT" "$WORK/target-calls" "$WORK/target-arrivals" 2>/dev/null &
target_pid=$!
trap 'kill "$target_pid" 2>/dev/null; rm -rf "$WORK"' EXIT
check "a slow HTTP target listens on port $TARGET_PORT" eventually 10 port_open "$TARGET_PORT"
PRIVATE=NEXUS_WORKFLOW_HTTP_ALLOW_PRIVATE_TARGETS=true
stop_pid "$STATE/pids/workflow-service.pid"
start_replica workflow-service "$PORT" "$STATE/pids/workflow-service.pid" "$STATE/logs/workflow-service.log" "$PRIVATE"
check "nexus-local's replica is restarted allowing loopback http targets" eventually 120 port_ready "$PORT"

tenant="$(new_tenant takeover '{"concurrentExecutions": 1000, "executionsPerDay": 100000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
child='{"name": "takeover-child", "nodes": [
  {"id": "begin", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
  {"id": "fetch", "type": "http", "config": {"method": "GET", "url": "\"http://127.0.0.1:'"$TARGET_PORT"'/n/\" + string(nodes.begin.n)"}},
  {"id": "pause", "type": "delay", "config": {"durationMs": 2000}},
  {"id": "end", "type": "transform", "config": {"expression": "{\"n\": nodes.begin.n, \"child\": true}"}}],
  "edges": [{"from": "begin", "to": "fetch"}, {"from": "fetch", "to": "pause"}, {"from": "pause", "to": "end"}]}'
parent='{"name": "takeover-parent", "nodes": [
  {"id": "prepare", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
  {"id": "announce", "type": "event", "config": {"type": "takeover.seen", "data": "nodes.prepare"}},
  {"id": "delegate", "type": "subworkflow", "config": {"workflow": "takeover-child", "inputs": "{\"n\": nodes.prepare.n}"}},
  {"id": "finish", "type": "transform", "config": {"expression": "{\"n\": nodes.delegate.end.n, \"done\": true}"}}],
  "edges": [{"from": "prepare", "to": "announce"}, {"from": "announce", "to": "delegate"},
            {"from": "delegate", "to": "finish"}]}'
check "the child workflow is registered" test "$(api "$key" POST /api/v1/workflows "$child")" = 201
check "the parent workflow is registered" test "$(api "$key" POST /api/v1/workflows "$parent")" = 201

start_replica workflow-service "$SURVIVOR_PORT" "$SURVIVOR_PID" "$STATE/logs/workflow-service-$SURVIVOR_PORT.log" \
  "$PRIVATE"
check "a second workflow-service replica is ready on port $SURVIVOR_PORT" eventually 120 port_ready "$SURVIVOR_PORT"

# The burst: async starts, three at a time; each answer is a line "status executionId" (or "-").
start_one() {
  local out status id
  out="$(curl -s -m 10 -X POST "$GATEWAY/api/v1/workflows/takeover-parent/executions" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d "{\"mode\": \"async\", \"inputs\": {\"n\": $1}}" -w '\n%{http_code}')"
  status="${out##*$'\n'}"
  id="$(jq -r '.executionId // "-"' <<<"${out%$'\n'*}" 2>/dev/null || echo -)"
  echo "$status ${id:--}" >>"$WORK/starts"
}
export -f start_one
export GATEWAY key WORK
: >"$WORK/starts"
seq 1 "$COUNT" | xargs -P 3 -I{} bash -c 'start_one {}' &
burst=$!

children_in_flight() {
  [ "$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND parent_id IS NOT NULL
                AND status IN ('running', 'waiting')")" -ge 2 ]
}
check "children are in flight (running, or parked in their delay) before the kill" eventually 30 children_in_flight
# Calls the target has received but not answered yet: http steps in flight.
in_http() { [ "$(wc -l <"$WORK/target-arrivals")" -gt "$(wc -l <"$WORK/target-calls")" ]; }
check "some children are inside their http call (it takes 1.5 s)" eventually 30 in_http
unsent="$(wf_sql "SELECT count(*) FROM outbox_event WHERE tenant_id = '$tenant' AND sent_at IS NULL")"
kill -9 "$(service_pid workflow-service)"
killed_at=$(date +%s%3N)
live="$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND status IN ('pending', 'running', 'waiting')")"
check "the gateway's replica was killed with $live executions live and $unsent events unpublished" test "$live" -gt 0
wait "$burst"
acknowledged="$(awk '$1 == 202 {print $2}' "$WORK/starts" | wc -l)"
check "starts were acknowledged before the kill ($acknowledged of $COUNT; the rest were refused)" test "$acknowledged" -gt 0

all_ended() {
  [ "$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND status IN ('pending', 'running', 'waiting')")" = 0 ]
}
check "the survivor ended every execution" eventually 60 all_ended
took_ms=$(($(date +%s%3N) - killed_at))
check "within the lease time (10 s) plus the work left: ${took_ms} ms after the kill" test "$took_ms" -lt 40000
parents="$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND parent_id IS NULL")"
check "every execution completed ($parents parents and their children)" \
  test "$(wf_sql "SELECT count(*) FROM executions WHERE tenant_id = '$tenant' AND status = 'completed'")" = $((parents * 2))
ack_list="$(awk '$1 == 202 {printf "%s'"'"'%s'"'"'", (n++ ? "," : ""), $2}' "$WORK/starts")"
check "every acknowledged start is among them" \
  test "$(wf_sql "SELECT count(*) FROM executions WHERE id IN ($ack_list) AND status = 'completed'")" = "$acknowledged"
check "each node's step is recorded once, completed (4 per parent, 4 per child)" \
  test "$(wf_sql "SELECT count(*) FROM execution_steps s JOIN executions e ON e.id = s.execution_id
                  WHERE e.tenant_id = '$tenant' AND s.status = 'completed'")" = $((parents * 8))
calls="$(wc -l <"$WORK/target-calls")"
distinct_calls="$(sort -u "$WORK/target-calls" | wc -l)"
check "every child's http step reached its target ($distinct_calls of $parents; $calls calls in all: a step cut by the kill is called again, as http steps are at least once)" \
  test "$distinct_calls" = "$parents"
check "each parent's event is in the outbox exactly once" \
  test "$(wf_sql "SELECT count(*) FROM outbox_event WHERE topic LIKE '%nexus.integration.$tenant'")" = "$parents"
all_published() { [ "$(wf_sql "SELECT count(*) FROM outbox_event WHERE tenant_id = '$tenant' AND sent_at IS NULL")" = 0 ]; }
check "the survivor's relay published every event of the tenant" eventually 30 all_published

executions_total=$((parents * 2))
usage_settled() {
  api admin GET "/api/v1/tenants/$tenant/usage" >/dev/null
  [ "$(body | jq -r '[.executionsPerDay.used, .concurrentExecutions.used] | join(" ")')" = "$executions_total 0" ]
}
check "usage counts each of the $executions_total starts once and none as live (events once per consumer)" \
  eventually 30 usage_settled

restart_service workflow-service "$PORT"
check "the killed replica starts again" port_ready "$PORT"
stop_started=$(date +%s%3N)
stop_pid "$SURVIVOR_PID"
stop_ms=$(($(date +%s%3N) - stop_started))
check "the extra replica stops on SIGTERM within 30 s (${stop_ms} ms)" test "$stop_ms" -lt 30000

summary
