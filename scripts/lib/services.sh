# The five Nexus services as plain `java -jar quarkus-run.jar` processes. Sourced, never run.
# shellcheck shell=bash

service_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

build_services() {
  info "building the suite (mvn package, tests skipped; 'scripts/nexus-local test' runs them)"
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) || die "the build failed"
}

admin_key() {
  if [ -n "${NEXUS_ADMIN_KEY:-}" ]; then
    [ "${#NEXUS_ADMIN_KEY}" -ge 16 ] || die "NEXUS_ADMIN_KEY must be at least 16 characters"
    printf '%s' "$NEXUS_ADMIN_KEY"
    return
  fi
  local file="$STATE_DIR/admin-key"
  if [ ! -s "$file" ]; then
    (umask 077 && printf 'nxa_%s' "$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')" >"$file")
  fi
  cat "$file"
}

# Environment of a service process: everything it needs comes from here, as in a container.
service_env() {
  local svc=$1
  printf '%s\n' \
    "QUARKUS_HTTP_HOST=$BIND_HOST" \
    "QUARKUS_HTTP_PORT=${SERVICE_PORT[$svc]}" \
    "DB_HOST=$PG_HOST" "DB_PORT=$PG_PORT" "DB_USER=$PG_USER" "DB_PASSWORD=$PG_PASSWORD" \
    "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT" \
    "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" \
    "NEXUS_ADMIN_KEY=$ADMIN_KEY" \
    "NEXUS_LOG_JSON=${NEXUS_LOG_JSON:-false}"
  if [ "$svc" = api-gateway ]; then
    local upstream var
    for upstream in tenant-service workflow-service session-service marketplace-service; do
      var="$(echo "${upstream//-/_}" | tr '[:lower:]' '[:upper:]')_URL"
      echo "$var=http://127.0.0.1:${SERVICE_PORT[$upstream]}"
    done
  fi
}

# What a running process was started from: commit, build output and configuration. A change means restart.
fingerprint() {
  local svc=$1 app="$ROOT/$1/target/quarkus-app"
  {
    git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo "no-commit"
    (cd "$app" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    service_env "$svc"
    echo "$SERVICE_HEAP"
  } | sha256sum | cut -c1-16
}

service_ready() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:${SERVICE_PORT[$1]}/q/health/ready"; }

start_service() {
  local svc=$1 port=${SERVICE_PORT[$1]} jar holder
  jar="$(service_jar "$svc")"
  [ -f "$jar" ] || die "$svc is not built ($jar is missing): run 'scripts/nexus-local up' without --no-build"
  holder="$(port_holder "$port")"
  if [ -n "$holder" ] || port_open "$port"; then
    die "port $port, needed by $svc, is held by another process: $(describe_pid "$holder")"
  fi
  local -a env_args
  mapfile -t env_args < <(service_env "$svc")
  info "$svc: starting on port $port"
  spawn "$svc" "$LOG_DIR/$svc.log" env "${env_args[@]}" \
    java "-Xmx$SERVICE_HEAP" -XX:+ExitOnOutOfMemoryError -jar "$jar"
  fingerprint "$svc" >"$RUN_DIR/$svc.fingerprint"
}

stop_service() {
  local svc=$1 pid
  pid="$(live_pid "$svc")"
  if [ -n "$pid" ]; then
    info "$svc: stopping (pid $pid)"
    terminate "$svc" "$pid" 35
  fi
  rm -f "$PID_DIR/$svc.pid" "$RUN_DIR/$svc.fingerprint"
}

# Restarts a service only when it is down or its build or configuration changed.
reconcile_service() {
  local svc=$1 pid
  pid="$(live_pid "$svc")"
  if [ -n "$pid" ]; then
    if [ "$(cat "$RUN_DIR/$svc.fingerprint" 2>/dev/null)" = "$(fingerprint "$svc")" ]; then
      info "$svc: already running (pid $pid), unchanged"
      return
    fi
    info "$svc: build or configuration changed, restarting"
    stop_service "$svc"
  fi
  start_service "$svc"
}

await_service() {
  local svc=$1
  local deadline=$((SECONDS + START_TIMEOUT))
  until service_ready "$svc"; do
    if ! pid_alive "$(recorded_pid "$svc")"; then
      tail -n 30 "$LOG_DIR/$svc.log" >&2 || true
      die "$svc exited during start-up; its log is $LOG_DIR/$svc.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$LOG_DIR/$svc.log" >&2 || true
      die "$svc was not ready within ${START_TIMEOUT}s; its log is $LOG_DIR/$svc.log"
    fi
    sleep 0.5
  done
}

gateway_healthy() { curl -fsS -m 5 -o /dev/null "$GATEWAY_URL/health"; }
