#!/usr/bin/env bash
# Fault suite: a new workflow version registered while executions of the old one wait (issue scenario 8).
# Oracle: executions started on version 1 and parked in a `wait` finish on version 1 — their recorded version, their
# remaining nodes and their outputs are version 1's — while a start after the change runs version 2.
source "$(dirname "$0")/lib.sh"

tenant="$(new_tenant versions)"
read -r key _ <<<"$(new_key "$tenant" developer)"
version() {
  local label=$1
  echo "{\"name\": \"versioned\",
    \"nodes\": [{\"id\": \"hold\", \"type\": \"wait\", \"config\": {\"signal\": \"go\"}},
               {\"id\": \"finish\", \"type\": \"transform\", \"config\": {\"expression\": \"{\\\"version\\\": \\\"$label\\\"}\"}}],
    \"edges\": [{\"from\": \"hold\", \"to\": \"finish\"}]}"
}
check "version 1 is registered" test "$(api "$key" POST /api/v1/workflows "$(version one)")" = 201

COUNT=5
ids=()
for n in $(seq 1 $COUNT); do
  api "$key" POST /api/v1/workflows/versioned/executions '{"mode": "async"}' >/dev/null
  ids+=("$(body | jq -r .executionId)")
done
parked() {
  local id
  for id in "${ids[@]}"; do
    api "$key" GET "/api/v1/executions/$id" >/dev/null
    [ "$(body | jq -r .status)" = waiting ] || return 1
  done
}
check "$COUNT executions of version 1 are parked in their wait" eventually 30 parked

check "version 2 is registered while they wait" test "$(api "$key" PUT /api/v1/workflows/versioned "$(version two)")" = 200
check "the workflow now reads as version 2" test "$(body | jq -r .version)" = 2

for id in "${ids[@]}"; do api "$key" POST "/api/v1/executions/$id/signals/go" '{"payload": 1}' >/dev/null; done
all_completed() {
  local id
  for id in "${ids[@]}"; do
    api "$key" GET "/api/v1/executions/$id" >/dev/null
    [ "$(body | jq -r .status)" = completed ] || return 1
  done
}
check "every signalled execution completes" eventually 30 all_completed
on_version_one=0
for id in "${ids[@]}"; do
  api "$key" GET "/api/v1/executions/$id" >/dev/null
  if [ "$(body | jq -r '[.version, .outputs.finish.version] | join(" ")')" = "1 one" ]; then
    on_version_one=$((on_version_one + 1))
  fi
done
check "each finished on version 1 (recorded version and version 1's last node): $on_version_one of $COUNT" \
  test "$on_version_one" = "$COUNT"

api "$key" POST /api/v1/workflows/versioned/executions '{"mode": "async"}' >/dev/null
fresh="$(body | jq -r .executionId)"
api "$key" POST "/api/v1/executions/$fresh/signals/go" >/dev/null
fresh_completed() { api "$key" GET "/api/v1/executions/$fresh" >/dev/null; [ "$(body | jq -r .status)" = completed ]; }
check "a start after the change completes" eventually 30 fresh_completed
check "and ran version 2" test "$(body | jq -r '[.version, .outputs.finish.version] | join(" ")')" = "2 two"

summary
