#!/usr/bin/env bash
# Crash-proof executions (docs/api.md §4, §5; runbook: a replica dies): 20 async executions that publish an event and
# then wait in a delay are started through the gateway, workflow-service is killed with SIGKILL while they are in
# flight, and started again. Every execution must then complete exactly once, with every step recorded once and the
# event published once, and none may stay behind. The restarted process is recorded in nexus-local's pid file, so
# 'scripts/nexus-local down' stops it as usual.
source "$(dirname "$0")/lib.sh"

SERVICE=workflow-service
PORT=8082
COUNT=20
state="${NEXUS_STATE_DIR:?}"
env_file="$state/state/$SERVICE.env"
pid_file="$state/pids/$SERVICE.pid"
jar="${NEXUS_ROOT:?}/$SERVICE/target/quarkus-app/quarkus-run.jar"
sql() {
  PGPASSWORD="${DB_PASSWORD:-nexus}" psql -X -At -q -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" \
    -U "${DB_USER:-nexus}" -d workflow_service -c "$1"
}

if [ ! -f "$env_file" ] || [ ! -f "$jar" ] || ! kill -0 "$(cat "$pid_file" 2>/dev/null)" 2>/dev/null; then
  check "a running stack started by nexus-local (workflow-service environment, pid and jar)" false
  summary
  exit 1
fi

tenant="$(new_tenant crash '{"concurrentExecutions": 100, "executionsPerDay": 10000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
definition='{"name": "crash-delay",
  "nodes": [{"id": "prepare", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
            {"id": "announce", "type": "event", "config": {"type": "crash.seen", "data": "nodes.prepare"}},
            {"id": "pause", "type": "delay", "config": {"durationMs": 3000}},
            {"id": "finish", "type": "transform", "config": {"expression": "{\"n\": nodes.prepare.n, \"done\": true}"}}],
  "edges": [{"from": "prepare", "to": "announce"}, {"from": "announce", "to": "pause"},
            {"from": "pause", "to": "finish"}]}'
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

ids=()
for n in $(seq 1 $COUNT); do
  api "$key" POST /api/v1/workflows/crash-delay/executions "{\"inputs\": {\"n\": $n}, \"mode\": \"async\"}" >/dev/null
  ids+=("$(body | jq -r .executionId)")
done
check "$COUNT async executions were accepted" test "$(printf '%s\n' "${ids[@]}" | grep -c -- '-')" = "$COUNT"
id_list="$(printf "'%s'," "${ids[@]}")"
id_list="${id_list%,}"

# Kill while they are in flight: once some have published their event (and so are past a committed step).
announced() { [ "$(sql "SELECT count(*) FROM execution_steps WHERE node = 'announce' AND execution_id IN ($id_list)")" -ge 1 ]; }
check "executions are under way before the kill" eventually 20 announced
live_before="$(sql "SELECT count(*) FROM executions WHERE id IN ($id_list) AND status IN ('pending', 'running', 'waiting')")"
kill -9 "$(cat "$pid_file")"
check "workflow-service killed with SIGKILL while $live_before of $COUNT executions were live" test "$live_before" -gt 0

# Start it again with the configuration nexus-local gave it, under nexus-local's pid file.
sleep 1
mapfile -t service_env <"$env_file"
setsid nohup env "${service_env[@]}" java "-Xmx${NEXUS_SERVICE_HEAP:-384m}" -XX:+ExitOnOutOfMemoryError -jar "$jar" \
  >>"$state/logs/$SERVICE.log" 2>&1 </dev/null &
echo $! >"$pid_file"
ready() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; }
check "workflow-service starts again" eventually 90 ready

all_ended() {
  [ "$(sql "SELECT count(*) FROM executions WHERE id IN ($id_list) AND status IN ('pending', 'running', 'waiting')")" = 0 ]
}
check "no execution is left behind (all ended within 60 s of the restart)" eventually 60 all_ended
check "every execution completed" \
  test "$(sql "SELECT count(*) FROM executions WHERE id IN ($id_list) AND status = 'completed'")" = "$COUNT"
check "each has its four steps, each recorded once and completed" \
  test "$(sql "SELECT count(*) FROM execution_steps WHERE execution_id IN ($id_list) AND status = 'completed'")" = $((COUNT * 4))
check "each published its event exactly once" \
  test "$(sql "SELECT count(*) FROM outbox_event WHERE topic LIKE '%nexus.integration.$tenant' AND aggregate_id IN ($id_list)")" = "$COUNT"
check "and announced its completion exactly once" \
  test "$(sql "SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.execution.completed' AND aggregate_id IN ($id_list)")" = "$COUNT"
api "$key" GET "/api/v1/executions/${ids[0]}" >/dev/null
check "an execution reads back through the gateway with its outputs" test "$(body | jq -r .outputs.finish.done)" = true

summary
