#!/usr/bin/env bash
# One session across channels, through the gateway (docs/api.md §2.5, §4.5, §5.5): opened in the CLI, used by
# executions started over the API and MCP whose session nodes read and merge its data, listed with its executions;
# another tenant's or an unknown session id is a 404 at the gateway; a session Redis lost is restored on its next use.
source "$(dirname "$0")/lib.sh"

tenant="$(new_tenant sessions '{"concurrentExecutions": 20, "executionsPerDay": 1000}')"
read -r key _ <<<"$(new_key "$tenant" developer)"
other_tenant="$(new_tenant sessions-other)"
read -r other_key _ <<<"$(new_key "$other_tenant" developer)"

# as KEY CHANNEL SESSION METHOD PATH [BODY]: a call through the gateway on a channel, carrying X-Nexus-Session.
as() {
  local who=$1 channel=$2 session=$3 method=$4 path=$5 data=${6:-}
  local -a args=(-H "Authorization: Bearer $who" -H "X-Nexus-Channel: $channel")
  [ -n "$session" ] && args+=(-H "X-Nexus-Session: $session")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' -d "$data")
  http "$method" "$GATEWAY$path" "${args[@]}"
}

check "a session is opened in the CLI (201)" \
  test "$(as "$key" cli "" POST /api/v1/sessions '{"userId": "ada", "data": {"cart": ["tea"]}}')" = 201
session="$(body | jq -r .id)"
check "its id is 22 base64url characters" grep -Eq '^[A-Za-z0-9_-]{22}$' <<<"$session"

definition='{"name": "suite-session-greeting",
  "nodes": [{"id": "remember", "type": "session", "config": {"merge": "{\"greeted\": inputs.name, \"cart\": null}"}},
            {"id": "greet", "type": "transform",
             "config": {"expression": "{\"text\": \"hello \" + session.greeted, \"user\": nodes.remember.greeted}"}}],
  "edges": [{"from": "remember", "to": "greet"}]}'
check "a workflow with a session node is registered (201)" \
  test "$(api "$key" POST /api/v1/workflows "$definition")" = 201

check "an execution started over the API with the session completes (200)" \
  test "$(as "$key" api "$session" POST /api/v1/workflows/suite-session-greeting/executions \
    '{"inputs": {"name": "ada"}}')" = 200
check "its session node merged into the session and 'session' read it back" \
  test "$(body | jq -r .outputs.greet.text)" = "hello ada"
first_execution="$(body | jq -r .executionId)"
api "$key" GET "/api/v1/executions/$first_execution" >/dev/null
check "the execution carries the session id" test "$(body | jq -r .sessionId)" = "$session"

check "an execution started over MCP with the same session completes (200)" \
  test "$(as "$key" mcp "$session" POST /api/v1/workflows/suite-session-greeting/executions \
    '{"inputs": {"name": "bob"}}')" = 200
second_execution="$(body | jq -r .executionId)"

as "$key" api "" GET "/api/v1/sessions/$session" >/dev/null
check "the session lists every channel that used it, in first-use order" \
  test "$(body | jq -r '.channels | join(",")')" = "cli,api,mcp"
check "its data holds the last merge (and the member merged to null is gone)" \
  test "$(body | jq -c .data)" = '{"greeted":"bob"}'

listed() {
  as "$key" api "" GET "/api/v1/sessions/$session/executions" >/dev/null &&
    [ "$(body | jq -r '[.items[] | .id + ":" + .status] | sort | join(",")')" = \
      "$(printf '%s\n' "$first_execution:completed" "$second_execution:completed" | sort | paste -sd,)" ]
}
check "the session lists both executions as completed" eventually 15 listed

check "another tenant naming the session in X-Nexus-Session gets 404 before any service" \
  test "$(as "$other_key" api "$session" GET /api/v1/workflows)" = 404
check "an unknown session id in X-Nexus-Session gets 404" \
  test "$(as "$key" api "AAAAAAAAAAAAAAAAAAAAAA" GET /api/v1/workflows)" = 404
check "a malformed X-Nexus-Session gets 400 naming the header" \
  bash -c "[ \"\$(curl -s -o '$WORK/bad' -w '%{http_code}' -H 'Authorization: Bearer $key' \
    -H 'X-Nexus-Session: not/a/session' '$GATEWAY/api/v1/workflows')\" = 400 ] && grep -q X-Nexus-Session '$WORK/bad'"
check "another tenant cannot read the session (404)" \
  test "$(as "$other_key" api "" GET "/api/v1/sessions/$session")" = 404

# A session Redis lost comes back from PostgreSQL on its next use (here: its key removed, as a flush would).
sleep 2 # let the write-behind (1 s) record the last merge
redis-cli -h 127.0.0.1 -p "${REDIS_PORT:-6379}" DEL "nexus:session:$session" >/dev/null
check "after Redis lost the session, a request carrying it passes (200)" \
  test "$(as "$key" cli "$session" GET /api/v1/workflows)" = 200
as "$key" api "" GET "/api/v1/sessions/$session" >/dev/null
check "and the session is back with its data and channels" \
  test "$(body | jq -c '[.data, .channels]')" = '[{"greeted":"bob"},["cli","api","mcp"]]'

check "the session is closed (204)" test "$(as "$key" api "" DELETE "/api/v1/sessions/$session")" = 204
check "a request carrying a closed session gets 404" \
  test "$(as "$key" api "$session" GET /api/v1/workflows)" = 404

summary
