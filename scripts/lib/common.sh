# Shared settings and helpers of scripts/nexus-local. Sourced, never run.
# shellcheck shell=bash

# info, warn, die, port_open, port_holder, as_root, apt_install, ensure_command (shared with the benchmarks)
# shellcheck source-path=SCRIPTDIR source=basics.sh
source "$(dirname "${BASH_SOURCE[0]}")/basics.sh"

STATE_DIR="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
RUN_DIR="$STATE_DIR/state"
CACHE_DIR="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"

BIND_HOST="${NEXUS_BIND_HOST:-127.0.0.1}"
PG_HOST="${DB_HOST:-127.0.0.1}"
PG_PORT="${DB_PORT:-5432}"
PG_USER="${DB_USER:-nexus}"
PG_PASSWORD="${DB_PASSWORD:-nexus}"
REDIS_PORT="${NEXUS_REDIS_PORT:-6379}"
KAFKA_PORT="${NEXUS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${NEXUS_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_VERSION="4.1.2"
SERVICE_HEAP="${NEXUS_SERVICE_HEAP:-384m}"
START_TIMEOUT="${NEXUS_START_TIMEOUT:-120}"

# Start order: the gateway last, so that its first /health sees the services already coming up.
SERVICES=(tenant-service workflow-service session-service marketplace-service api-gateway)
declare -A SERVICE_PORT=(
  [api-gateway]=8000 [tenant-service]=8081 [workflow-service]=8082 [session-service]=8083 [marketplace-service]=8084)
declare -A SERVICE_DB=(
  [tenant-service]=tenant_service [workflow-service]=workflow_service
  [session-service]=session_service [marketplace-service]=marketplace_service)
GATEWAY_URL="http://127.0.0.1:${SERVICE_PORT[api-gateway]}"

init_state_dirs() { mkdir -p "$LOG_DIR" "$PID_DIR" "$RUN_DIR" "$CACHE_DIR"; }

describe_pid() { [ -n "${1:-}" ] && ps -o pid=,args= -p "$1" 2>/dev/null | cut -c1-100 || echo "unknown process"; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

recorded_pid() { cat "$PID_DIR/$1.pid" 2>/dev/null || true; }

# Our recorded pid for $1 when that process still runs; empty otherwise (stale pid files are removed).
live_pid() {
  local pid
  pid="$(recorded_pid "$1")"
  if pid_alive "$pid"; then
    echo "$pid"
  elif [ -n "$pid" ]; then
    rm -f "$PID_DIR/$1.pid"
  fi
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second.
wait_until() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      warn "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# Starts a detached background process: it survives this script and the terminal; its pid goes to $PID_DIR/$1.pid.
spawn() {
  local name=$1 log=$2
  shift 2
  setsid nohup "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

# Stops pid $2 (component $1): SIGTERM, then SIGKILL after $3 seconds.
terminate() {
  local name=$1 pid=$2 grace=${3:-35}
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
  if pid_alive "$pid"; then
    warn "$name (pid $pid) did not stop within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

ensure_prerequisites() {
  ensure_command curl curl
  ensure_command jq jq
  ensure_command ss iproute2
  ensure_command setsid util-linux
  ensure_command java openjdk-17-jdk-headless
  ensure_command mvn maven
  # session-service's tests run a Redis server of their own (to flush and restart it), even when one is running.
  ensure_command redis-server redis-server
  # The gateway's build compiles the web console (console/, with Vite) and the MCP suites and benchmark use the
  # official MCP tools (scripts/mcp): both from npm, installed on first use with the machine's Node.
  ensure_command node nodejs
  ensure_command npm npm
  local major node_version
  # Vite (the console's build) needs Node 20.19+ or 22.12+.
  node_version="$(node --version 2>/dev/null | sed 's/^v//')"
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || a === 22 && b >= 12 || a === 20 && b >= 19 ? 0 : 1)' 2>/dev/null \
    || die "Node.js 20.19+ or 22.12+ is required to build the web console (found ${node_version:-none}); install it, or build with -Dnexus.console.skip"
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is required (found ${major:-none})"
}
