#!/usr/bin/env bash
# The nexus CLI as a real process against the running stack (cli/README.md): every command group, --output json read
# with jq, the exit codes scripts rely on, and a run with --session recorded on the execution with channel cli.
source "$(dirname "$0")/lib.sh"

NEXUS="$(cd "$(dirname "$0")/../.." && pwd)/scripts/nexus"
# A home of its own: login writes ~/.config/nexus/config.json, and the user's must stay untouched.
export HOME="$WORK/home"
mkdir -p "$HOME"
unset NEXUS_URL NEXUS_API_KEY

# cli ARGS...: runs nexus; exit code in $rc, stdout in $WORK/out, stderr in $WORK/err.
cli() {
  "$NEXUS" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}
as_admin() { NEXUS_URL=$GATEWAY NEXUS_API_KEY=$NEXUS_ADMIN_KEY cli "$@"; }
out() { cat "$WORK/out"; }
quiet_json() { [ "$rc" = 0 ] && [ ! -s "$WORK/err" ] && jq -e . "$WORK/out" >/dev/null; }

# --- health and help, before any login
NEXUS_URL=$GATEWAY cli health -o json
check "health answers one JSON document with every service up" \
  test "$(out | jq -r '[.services[].status] | unique | join(",")')" = up
cli --help
check "--help documents the exit codes" grep -q "5  conflict or quota" "$WORK/out"

# --- tenants with the platform admin key
as_admin tenant create "cli-$RANDOM$RANDOM" --quota concurrentExecutions=20 -o json
check "tenant create (admin) prints the tenant as JSON, nothing on stderr" quiet_json
tenant="$(out | jq -r .id)"
as_admin tenant keys create "$tenant" --name suite --role developer -o json
key="$(out | jq -r .key)"
check "tenant keys create shows the new key once" test "${key#nxk_}" != "$key"
as_admin tenant show "$tenant" -o json
check "tenant show" test "$(out | jq -r .id)" = "$tenant"
as_admin tenant list --limit 100 -o json
check "tenant list is a page" quiet_json
as_admin tenant usage "$tenant" -o json
check "tenant usage shows the quota override" test "$(out | jq -r .concurrentExecutions.limit)" = 20
as_admin tenant keys list "$tenant" -o json
check "tenant keys list shows the key's prefix, never the key" \
  test "$(out | jq -r '[.items[].prefix] | length')-$(grep -c "$key" "$WORK/out")" = "1-0"

# --- login
cli login --url "$GATEWAY" --key "$key" -o json
check "login with a developer key succeeds" quiet_json
check "and writes ~/.config/nexus/config.json with mode 600" \
  test "$(stat -c %a "$HOME/.config/nexus/config.json")" = 600
cli login --url "$GATEWAY" --key nxk_not_a_key_0123456789
check "login with a bad key exits 3" test "$rc" = 3
NEXUS_API_KEY=nxk_not_a_key_0123456789 cli workflow list
check "a bad key exits 3 with the problem on stderr" test "$rc-$(grep -c '401 unauthorized' "$WORK/err")" = "3-1"

# --- workflows
cat >"$WORK/divide.json" <<'JSON'
{"name": "cli-divide", "description": "100 / d",
 "inputSchema": {"type": "object", "properties": {"d": {"type": "integer"}}, "required": ["d"]},
 "nodes": [{"id": "divide", "type": "transform", "config": {"expression": "{\"q\": 100 / inputs.d}"}}]}
JSON
cli workflow create -f "$WORK/divide.json" -o json
check "workflow create" test "$rc-$(out | jq -r .version)" = "0-1"
cli workflow create -f "$WORK/divide.json"
check "creating it again is a conflict (5)" test "$rc" = 5
jq '.description = "100 divided by d"' "$WORK/divide.json" >"$WORK/divide2.json"
cli workflow update -f "$WORK/divide2.json" -o json
check "workflow update stores version 2" test "$(out | jq -r .version)" = 2
cli workflow show cli-divide --version 1 -o json
check "workflow show --version 1" test "$(out | jq -r .description)" = "100 / d"
cli workflow list -q divide -o json
check "workflow list finds it" test "$(out | jq -r '.items[].name')" = cli-divide
cli workflow show cli-divide
check "the table view names its node" grep -q "divide  transform" "$WORK/out"
echo '{"name": "Bad Name", "nodes": [{"id": "a", "type": "teleport"}]}' >"$WORK/bad.json"
cli workflow create -f "$WORK/bad.json"
check "an invalid definition exits 2 and lists every field error" \
  test "$rc-$(grep -c '^  ' "$WORK/err")" = "2-2"

# --- runs and exit codes
cli workflow run cli-divide --input '{"d": 4}' -o json
check "run: one JSON document, the outputs" test "$(out | jq -r .outputs.divide.q)" = 25
check "and nothing on stderr" quiet_json
cli workflow run cli-divide --input '{"d": 0}' --wait -o json
check "run --wait of a failing execution exits 1" test "$rc-$(out | jq -r .status)" = "1-failed"
cli workflow run cli-divide --input '{"d": 5}' --async --wait -o json
check "run --async --wait follows it to completed" test "$rc-$(out | jq -r .status)" = "0-completed"
cli workflow run no-such-workflow
check "an unknown workflow exits 4" test "$rc" = 4
cli workflow run cli-divide --frobnicate
check "a bad flag exits 2, usage on stderr, nothing on stdout" \
  test "$rc-$(grep -c 'Usage: nexus workflow run' "$WORK/err")-$(wc -c <"$WORK/out")" = "2-1-0"
cli workflow run cli-divide --input '{"d": "x"}'
check "inputs the API refuses exit 2 naming the field" test "$rc-$(grep -c 'inputs.d' "$WORK/err")" = "2-1"

# --- sessions: a run with --session is recorded on the execution, channel cli
cli session create --user ada --data '{"visits": 1}' -o json
session="$(out | jq -r .id)"
check "session create" test "${#session}" = 22
cli session set "$session" --data '{"cart": ["x"]}' -o json
check "session set merges data" test "$(out | jq -cS .data)" = '{"cart":["x"],"visits":1}'
cli workflow run cli-divide --input '{"d": 2}' --session "$session" -o json
execution="$(out | jq -r .executionId)"
cli execution show "$execution" -o json
check "the execution carries the session and channel cli" \
  test "$(out | jq -r '.sessionId + " " + .channel')" = "$session cli"
cli session show "$session" -o json
check "session show lists channel cli" test "$(out | jq -r '.channels | join(",")')" = cli
cli session list -o json
check "session list has it" test "$(out | jq -r --arg s "$session" '[.items[] | select(.id == $s)] | length')" = 1
cli session close "$session"
check "session close" test "$rc" = 0
cli session show "$session"
check "a closed session is not found (4)" test "$rc" = 4

# --- executions: list, watch, signal, cancel
cli execution list --workflow cli-divide --status failed -o json
check "execution list filters by status" test "$(out | jq -r '[.items[].status] | unique | join(",")')" = failed
cli execution watch "$execution" -o json
check "watch of an ended execution replays it to its end" test "$rc-$(out | jq -r .status)" = "0-completed"
echo '{"name": "cli-approve", "nodes": [{"id": "approval", "type": "wait", "config": {"signal": "approve"}}]}' \
  >"$WORK/approve.json"
cli workflow create -f "$WORK/approve.json"
cli workflow run cli-approve --async -o json
waiting="$(out | jq -r .executionId)"
cli execution signal "$waiting" approve --payload '{"by": "ada"}' -o json
check "signal is accepted" test "$(out | jq -r .status)" = accepted
cli execution watch "$waiting" -o json
check "watch follows it to completed with the signal's payload" \
  test "$rc-$(out | jq -r .outputs.approval.by)" = "0-ada"
cli workflow run cli-approve --async -o json
cancelled="$(out | jq -r .executionId)"
cli execution cancel "$cancelled" -o json
check "cancel" test "$(out | jq -r .status)" = cancelled
cli execution cancel "$cancelled"
check "cancelling it again is a conflict (5)" test "$rc" = 5
cli execution watch "$cancelled"
check "watching a cancelled execution exits 1" test "$rc" = 1

# --- output formats and completion
cli workflow show cli-divide -o yaml
check "yaml output" grep -q '^name: cli-divide$' "$WORK/out"
NO_COLOR=1 cli execution list
check "tables carry no escape codes off a terminal" test "$(grep -c $'\e\[' "$WORK/out")" = 0
cli completion bash
check "completion bash" grep -q "complete -F _complete_nexus" "$WORK/out"
cli completion zsh
check "completion zsh" grep -q bashcompinit "$WORK/out"

cli workflow delete cli-divide
check "workflow delete" test "$rc" = 0
cli workflow show cli-divide
check "a deleted workflow is not found (4)" test "$rc" = 4

summary
