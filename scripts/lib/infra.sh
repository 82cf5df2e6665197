# PostgreSQL, Redis and Kafka for scripts/nexus-local: reuse what already runs, install what is missing (Debian),
# start what is stopped, and remember what was started here so that `down` stops only that. Sourced, never run.
# shellcheck shell=bash

mark_started() { touch "$RUN_DIR/started-$1"; }
was_started_here() { [ -f "$RUN_DIR/started-$1" ]; }
forget_started() { rm -f "$RUN_DIR/started-$1"; }

is_local_host() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ]; }

# --- PostgreSQL ------------------------------------------------------------------------------------------------

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 2>/dev/null; }

ensure_postgres() {
  ensure_command pg_isready postgresql-client
  if pg_ready; then
    info "PostgreSQL: reusing the server on $PG_HOST:$PG_PORT"
    return
  fi
  is_local_host "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer, and it is not local to start"
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    apt_install postgresql
  fi
  local version
  version="$(pg_lsclusters -h | awk 'NR == 1 { print $1 }')"
  [ -n "$version" ] || die "no PostgreSQL cluster found after installing postgresql"
  info "PostgreSQL: starting cluster $version/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || die "could not start PostgreSQL $version/main"
  echo "$version" >"$RUN_DIR/postgres-version"
  mark_started postgres
  wait_until 30 "PostgreSQL to accept connections" pg_ready || die "PostgreSQL did not come up"
}

# Runs SQL as a superuser: over TCP where trust or a password works, else through the postgres OS user's socket.
pg_admin() {
  if PGCONNECT_TIMEOUT=3 psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1 </dev/null; then
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres "$@"
  elif id postgres >/dev/null 2>&1; then
    as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
  else
    die "cannot reach PostgreSQL as a superuser to create the Nexus role and databases"
  fi
}

# The role and one database per service, plus the <service>_test databases that `mvn verify` uses (and the
# common module's own test database).
ensure_databases() {
  local sql="" db suffix
  sql+="DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
      CREATE ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD';
    END IF;
  END \$\$;"
  pg_admin -c "$sql" >/dev/null || die "could not create the PostgreSQL role $PG_USER"
  for db in "${SERVICE_DB[@]}"; do
    for suffix in "" _test; do
      if [ -z "$(pg_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db$suffix'")" ]; then
        info "PostgreSQL: creating database $db$suffix"
        pg_admin -c "CREATE DATABASE \"$db$suffix\" OWNER \"$PG_USER\"" >/dev/null || die "could not create $db$suffix"
      fi
    done
  done
  if [ -z "$(pg_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = 'nexus_common_test'")" ]; then
    info "PostgreSQL: creating database nexus_common_test"
    pg_admin -c "CREATE DATABASE nexus_common_test OWNER \"$PG_USER\"" >/dev/null || die "could not create nexus_common_test"
  fi
}

stop_postgres_if_started() {
  was_started_here postgres || return 0
  local version
  version="$(cat "$RUN_DIR/postgres-version" 2>/dev/null)"
  info "PostgreSQL: stopping cluster $version/main (started by nexus-local)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main stop || warn "could not stop PostgreSQL"
  forget_started postgres
}

# --- Redis -------------------------------------------------------------------------------------------------------

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

ensure_redis() {
  ensure_command redis-cli redis-tools
  if redis_ready; then
    info "Redis: reusing the server on 127.0.0.1:$REDIS_PORT"
    return
  fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is held by something that is not Redis: $(describe_pid "$(port_holder "$REDIS_PORT")")"
  ensure_command redis-server redis-server
  local dir="$STATE_DIR/redis"
  mkdir -p "$dir"
  info "Redis: starting on 127.0.0.1:$REDIS_PORT (nothing persisted)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$dir" --pidfile "$PID_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" || die "could not start Redis"
  mark_started redis
  wait_until 15 "Redis to answer" redis_ready || die "Redis did not come up; see $LOG_DIR/redis.log"
}

stop_redis_if_started() {
  was_started_here redis || return 0
  info "Redis: stopping (started by nexus-local)"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || terminate redis "$(recorded_pid redis)" 10
  rm -f "$PID_DIR/redis.pid"
  forget_started redis
}

# --- Kafka -------------------------------------------------------------------------------------------------------

kafka_libs() { echo "$CACHE_DIR/kafka-$KAFKA_VERSION/libs"; }

fetch_kafka() {
  local libs
  libs="$(kafka_libs)"
  [ -f "$libs/.complete" ] && return
  info "Kafka: fetching kafka_2.13 $KAFKA_VERSION from Maven Central"
  rm -rf "$libs"
  mvn -B -q -f "$ROOT/scripts/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$libs" \
    || die "could not fetch the Kafka broker jars"
  touch "$libs/.complete"
}

kafka_started() { grep -q 'Kafka Server started' "$LOG_DIR/kafka.log" 2>/dev/null; }

ensure_kafka() {
  if port_open "$KAFKA_PORT"; then
    info "Kafka: reusing the broker on 127.0.0.1:$KAFKA_PORT"
    return
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_CONTROLLER_PORT (Kafka controller) is held by: $(describe_pid "$(port_holder "$KAFKA_CONTROLLER_PORT")")"
  fi
  fetch_kafka
  local dir="$STATE_DIR/kafka" libs
  libs="$(kafka_libs)"
  mkdir -p "$dir/data"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA_DIR@|$dir/data|g" "$ROOT/scripts/infra/kafka/server.properties.template" >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      --ignore-formatted >"$LOG_DIR/kafka-format.log" 2>&1 || die "could not format Kafka storage; see $LOG_DIR/kafka-format.log"
  fi
  info "Kafka: starting a KRaft broker on 127.0.0.1:$KAFKA_PORT"
  spawn kafka "$LOG_DIR/kafka.log" java -Xms128m -Xmx256m -cp "$libs/*" kafka.Kafka "$dir/server.properties"
  mark_started kafka
  wait_until 60 "Kafka to start" kafka_started || die "Kafka did not start; see $LOG_DIR/kafka.log"
}

stop_kafka_if_started() {
  was_started_here kafka || return 0
  info "Kafka: stopping (started by nexus-local)"
  terminate kafka "$(recorded_pid kafka)" 30
  rm -f "$PID_DIR/kafka.pid"
  forget_started kafka
}

ensure_infrastructure() {
  ensure_postgres
  ensure_databases
  ensure_redis
  ensure_kafka
}

stop_infrastructure_started_here() {
  stop_kafka_if_started
  stop_redis_if_started
  stop_postgres_if_started
}
