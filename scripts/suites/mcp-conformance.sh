#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in scripts/mcp) against /mcp on the
# gateway, on the server scenarios that apply to a server whose tools are a tenant's workflows
# (scripts/mcp/nexus-scenarios.txt; why the others do not apply: scripts/mcp/CONFORMANCE.md). One check per scenario.
# The suite cannot send headers, so scripts/mcp/conformance.sh puts a local proxy in front that adds the API key.
source "$(dirname "$0")/lib.sh"
ROOT="${NEXUS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=../lib/mcp.sh
source "$ROOT/scripts/lib/mcp.sh"

ensure_mcp_tools >&2 || { echo "not ok - the MCP test tools (npm ci in scripts/mcp) could not be installed"; exit 1; }

tenant="$(new_tenant mcp-conformance)"
read -r key _ <<<"$(new_key "$tenant" developer)"
# A tool with a description and an object inputSchema, so that tools-list checks a real workflow's tool.
api "$key" POST /api/v1/workflows '{"name": "conformance-echo", "description": "Echoes its message",
  "inputSchema": {"type": "object", "properties": {"message": {"type": "string"}}},
  "nodes": [{"id": "echo", "type": "transform", "config": {"expression": "inputs"}}]}' >/dev/null

output="$(MCP_AUTHORIZATION="Bearer $key" "$ROOT/scripts/mcp/conformance.sh" "$GATEWAY/mcp" \
  --scenarios-file "$ROOT/scripts/mcp/nexus-scenarios.txt" 2>&1)"
while read -r verdict scenario detail; do
  case "$verdict" in
    PASS) check "conformance: $scenario ($detail)" true ;;
    FAIL) check "conformance: $scenario ($detail)" false ;;
  esac
done <<<"$output"
check "the conformance suite ran every listed scenario" \
  test "$(grep -cE '^(PASS|FAIL) ' <<<"$output")" = "$(grep -cvE '^(#|$)' "$ROOT/scripts/mcp/nexus-scenarios.txt")"
[ "$failed" -eq 0 ] || tail -n 40 <<<"$output"

api admin DELETE "/api/v1/tenants/$tenant" >/dev/null
summary
