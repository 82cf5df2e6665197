#!/usr/bin/env bash
# Fault suite: Kafka faults (issue scenarios 3 and 2). The broker is the one nexus-local started for this stack, so
# the suite may stop it; it starts it again on the same data.
# 1. The broker stopped for 30 s while two clients keep starting sync executions through the gateway. Oracle: every
#    start is accepted and completes (the outbox holds the events, nothing waits on Kafka); /health reports Kafka
#    degraded while it is down; after the restart every event of those executions is sent, reaches the topic in each
#    execution's own order (started before completed), and the tenant-usage consumer applies each exactly once.
# 2. A crash between commit and publish: with the broker down, executions commit their events to the outbox; the
#    relay's replica (workflow-service) is killed with SIGKILL before it could send them, the broker comes back, the
#    replica restarts. Oracle: the same as above — every event published after the restart, applied once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"
ROOT="$ROOT_DIR"
# shellcheck source=../lib/common.sh
source "$ROOT_DIR/scripts/lib/common.sh"
# shellcheck source=../lib/infra.sh
source "$ROOT_DIR/scripts/lib/infra.sh"

OUTAGE=30
if ! was_started_here kafka; then
  check "the stack's broker was started by nexus-local (the suite stops only a broker it owns)" false
  summary
  exit 1
fi
tenant="$(new_tenant kafka-outage '{"concurrentExecutions": 1000, "executionsPerDay": 100000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
definition='{"name": "kafka-outage", "nodes": [
  {"id": "a", "type": "transform", "config": {"expression": "{\"n\": inputs.n}"}},
  {"id": "b", "type": "transform", "config": {"expression": "{\"double\": nodes.a.n * 2}"}}],
  "edges": [{"from": "a", "to": "b"}]}'
check "the workflow is registered" test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

# client N: sync starts until the deadline, one line per answer: "status executionId"
client() {
  local n=$1 until=$2 out="$WORK/client-$1" i=0
  while [ "$(date +%s)" -lt "$until" ]; do
    i=$((i + 1))
    status="$(curl -s -m 30 -X POST "$GATEWAY/api/v1/workflows/kafka-outage/executions" \
      -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{\"inputs\": {\"n\": $i}}" \
      -o "$out.body" -w '%{http_code}')"
    echo "$status $(jq -r '.executionId // "-"' "$out.body" 2>/dev/null || echo -)" >>"$WORK/answers"
    sleep 0.2
  done
}
workflow_kafka() { curl -s -m 5 "$GATEWAY/health" | jq -r '.services[] | select(.name == "workflow-service") | .dependencies.kafka'; }
platform_status() { curl -s -m 5 "$GATEWAY/health" | jq -r .status; }

since_ms=$(($(date +%s%3N) - 5000))
: >"$WORK/answers"
stop_kafka_if_started >/dev/null 2>&1
check "the broker is stopped" eventually 30 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT) 2>/dev/null"
until=$(($(date +%s) + OUTAGE))
for n in 1 2; do client "$n" "$until" & done
broker_down() { [ "$(workflow_kafka)" = degraded ] && [ "$(platform_status)" = degraded ]; }
check "while it is down /health says so: workflow-service's kafka is degraded, and so is the platform" \
  eventually 25 broker_down
wait
# In a subshell: ensure_kafka exits the shell when the broker does not start, and this suite must still report.
(ensure_kafka) >/dev/null 2>&1
# ensure_kafka gives up after its own wait, while the broker it launched may still be starting on a loaded machine.
check "the broker is started again on its data" eventually 90 port_open "$KAFKA_PORT"
platform_up() { [ "$(platform_status)" = up ]; }
check "after the restart the platform is up again" eventually 90 platform_up

total="$(wc -l <"$WORK/answers")"
check "every start during the outage was accepted ($(cut -d' ' -f1 "$WORK/answers" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'))" \
  test "$(awk '$1 != 200' "$WORK/answers" | wc -l)" = 0
ids="$(awk '$2 != "-" {print "'"'"'" $2 "'"'"'"}' "$WORK/answers" | paste -sd,)"
check "and there were some ($total)" test "$total" -gt 5
completed() { [ "$(wf_sql "SELECT count(*) FROM executions WHERE id IN ($ids) AND status = 'completed'")" = "$total" ]; }
check "every one completed" eventually 30 completed
# check_delivery IDS SINCE_MS: every outbox event of executions IDS ('a','b',...) is sent, is on the topic (read from
# SINCE_MS) in each execution's own order, and the tenant-usage consumer applied each exactly once.
check_delivery() {
  local ids=$1 since=$2 expected=$3
  all_sent() { [ "$(wf_sql "SELECT count(*) FROM outbox_event WHERE aggregate_id IN ($ids) AND sent_at IS NULL")" = 0 ]; }
  check "every event of theirs was sent once the broker was back" eventually 60 all_sent
  wf_sql "SELECT aggregate_id || ' ' || event_id || ' ' || event_type FROM outbox_event WHERE aggregate_id IN ($ids)
    ORDER BY position" >"$WORK/outbox"
  check "two events each in the outbox ($(wc -l <"$WORK/outbox") for $expected executions)" \
    test "$(wc -l <"$WORK/outbox")" = $((expected * 2))
  java -cp "$(kafka_libs)/*" "$ROOT_DIR/scripts/suites/faults/TopicReader.java" "127.0.0.1:$KAFKA_PORT" \
    "$(wf_sql "SELECT DISTINCT topic FROM outbox_event WHERE aggregate_id IN ($ids)")" "$since" 2>/dev/null \
    | grep '^record ' >"$WORK/topic"
  # The topic as an integration sees it after de-duplication by ce_id: the first copy of each event, in topic order
  # (one partition per execution, since the key is its id), of these executions only.
  awk 'NR == FNR {mine[$1] = 1; next} ($4 in mine) && !seen[$5]++ {print $4, $5, $6}' "$WORK/outbox" "$WORK/topic" \
    >"$WORK/delivered"
  same_events() { diff <(cut -d' ' -f2 "$WORK/outbox" | sort) <(cut -d' ' -f2 "$WORK/delivered" | sort) >/dev/null; }
  check "every outbox event is on the topic, and nothing else of theirs ($(wc -l <"$WORK/delivered") of $(wc -l <"$WORK/outbox"); $(wc -l <"$WORK/topic") records read)" \
    same_events
  in_order() {
    diff <(sort -s -k1,1 "$WORK/outbox" | awk '{print $1, $3}') <(sort -s -k1,1 "$WORK/delivered" | awk '{print $1, $3}') >/dev/null
  }
  check "each execution's events arrive in its own order (started, then completed)" in_order
  event_ids="$(cut -d' ' -f2 "$WORK/outbox" | sed "s/.*/'&'/" | paste -sd,)"
  applied() {
    [ "$(sql_in tenant_service "SELECT count(*) FROM processed_event WHERE consumer = 'tenant-usage'
      AND event_id IN ($event_ids)")" = "$(wc -l <"$WORK/outbox")" ]
  }
  check "the tenant-usage consumer applied each event exactly once" eventually 60 applied
}

check_delivery "$ids" "$since_ms" "$total"

echo "# 2. a crash of the relay's replica between commit and publish"
since_ms=$(($(date +%s%3N) - 5000))
stop_kafka_if_started >/dev/null 2>&1
check "the broker is stopped again" eventually 30 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT) 2>/dev/null"
: >"$WORK/answers"
for i in $(seq 1 20); do
  echo "$(api "$key" POST /api/v1/workflows/kafka-outage/executions "{\"inputs\": {\"n\": $i}}") $(body | jq -r '.executionId // "-"')" \
    >>"$WORK/answers"
done
ids="$(awk '$2 != "-" {print "'"'"'" $2 "'"'"'"}' "$WORK/answers" | paste -sd,)"
check "20 executions completed with the broker down ($(cut -d' ' -f1 "$WORK/answers" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'))" \
  test "$(awk '$1 == 200' "$WORK/answers" | wc -l)" = 20
check "their 40 events wait in the outbox, unsent" \
  test "$(wf_sql "SELECT count(*) FROM outbox_event WHERE aggregate_id IN ($ids) AND sent_at IS NULL")" = 40
kill -9 "$(service_pid workflow-service)"
(ensure_kafka) >/dev/null 2>&1
check "the broker is started again" eventually 90 port_open "$KAFKA_PORT"
check "workflow-service, killed with SIGKILL, is restarted" restart_service workflow-service 8082
check_delivery "$ids" "$since_ms" 20
check "after the restart the platform is up again" eventually 90 platform_up

summary
