# Helpers of the fault suites (scripts/suites/fault-*.sh), sourced after ../lib.sh. Each fault suite states its
# oracle in its header and checks it against the databases and the API, not against log lines.
# shellcheck shell=bash

STATE="${NEXUS_STATE_DIR:?}"
ROOT_DIR="${NEXUS_ROOT:?}"

# sql DATABASE QUERY: one query as the stack's database user, unaligned output.
sql_in() {
  PGPASSWORD="${DB_PASSWORD:-nexus}" psql -X -At -q -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" \
    -U "${DB_USER:-nexus}" -d "$1" -c "$2"
}
wf_sql() { sql_in workflow_service "$1"; }

# A nexus-local service: its pid file, environment file and jar.
service_pid() { cat "$STATE/pids/$1.pid" 2>/dev/null; }
service_running() { local pid; pid="$(service_pid "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
stack_ready_for_faults() {
  local svc
  for svc in "$@"; do
    [ -f "$STATE/state/$svc.env" ] && [ -f "$ROOT_DIR/$svc/target/quarkus-app/quarkus-run.jar" ] \
      && service_running "$svc" || return 1
  done
}

# start_replica SERVICE PORT PIDFILE LOGFILE [ENV=VALUE...]: starts one more process of SERVICE with the
# configuration nexus-local gave it, on PORT; later variables override earlier ones.
start_replica() {
  local svc=$1 port=$2 pid_file=$3 log=$4
  shift 4
  local -a service_env
  mapfile -t service_env <"$STATE/state/$svc.env"
  setsid nohup env "${service_env[@]}" "QUARKUS_HTTP_PORT=$port" "$@" java "-Xmx${NEXUS_SERVICE_HEAP:-384m}" \
    -XX:+ExitOnOutOfMemoryError -jar "$ROOT_DIR/$svc/target/quarkus-app/quarkus-run.jar" \
    >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

port_ready() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$1/q/health/ready"; }

# restart_service SERVICE PORT: starts the nexus-local service again under its own pid file (after a kill), so that
# 'scripts/nexus-local down' stops it as usual.
restart_service() {
  start_replica "$1" "$2" "$STATE/pids/$1.pid" "$STATE/logs/$1.log"
  eventually 120 port_ready "$2"
}

# stop_pid PIDFILE: SIGTERM, then SIGKILL after 30 s.
stop_pid() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$1"
}

# cpu_ticks PID: user + system clock ticks the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# status_counts FILE: "status count" lines of a file with one HTTP status per line.
status_counts() { sort "$1" | uniq -c | awk '{printf "%s×%s ", $2, $1}'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
