#!/usr/bin/env bash
# Backup/restore drill against a PostgreSQL that holds the Nexus databases (docs/runbook.md, "Backup and restore").
#
#   scripts/test-restore.sh [--databases tenant_service,workflow_service,...] [--keep DIR] [--tamper]
#
# For each database: opens a REPEATABLE READ transaction, exports its snapshot and counts the rows of every table in
# it; pg_dump (custom format) dumps that same snapshot while the transaction stays open, so the counts are exact even
# while the services keep writing. The dump is restored into a scratch database nexus_restore_check_<db>, whose rows
# are counted again; every table must be there with the same count. Scratch databases are dropped at the end (only
# those with that prefix, which this script creates). --keep DIR keeps the dumps; --tamper deletes one row from the
# largest restored table before comparing, to show that the comparison catches a difference (it must then fail).
#
# Connection: DB_HOST/DB_PORT (default 127.0.0.1/5432) as PGUSER (default postgres, a superuser: the dump includes
# extensions such as pg_trgm). Where that login is refused over TCP and this runs as root, it goes through the local
# postgres OS user's socket instead, as scripts/nexus-local does. Prints "ok - ..." / "not ok - ..." per database and a summary; exits 1 on a mismatch,
# 2 on a usage or connection problem.
set -uo pipefail

HOST="${DB_HOST:-127.0.0.1}"
PORT="${DB_PORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"  # no NOTICE for DROP ... IF EXISTS
# The services' databases (scripts/lib/common.sh SERVICE_DB; DB_NAME defaults in each service's configuration).
DATABASES=(tenant_service workflow_service session_service marketplace_service)
SCRATCH_PREFIX=nexus_restore_check_
KEEP=""
TAMPER=0

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --databases) IFS=, read -r -a DATABASES <<<"${2:?}"; shift 2 ;;
    --keep) KEEP="${2:?}"; shift 2 ;;
    --tamper) TAMPER=1; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

for tool in psql pg_dump pg_restore; do
  command -v "$tool" >/dev/null || { echo "not ok - $tool is required (apt-get install postgresql-client)"; exit 2; }
done
# Every PostgreSQL tool runs as "${AS[@]}" tool "${CONN[@]}" ...: over TCP, or as the postgres OS user on its socket.
AS=()
CONN=(-h "$HOST" -p "$PORT")
sql() { "${AS[@]}" psql -X -q -At -v ON_ERROR_STOP=1 "${CONN[@]}" "$@"; }
if ! PGCONNECT_TIMEOUT=3 sql -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    AS=(runuser -u postgres -- env PGOPTIONS="$PGOPTIONS")
    CONN=(-p "$PORT")
  fi
  sql -d postgres -c 'SELECT 1' >/dev/null || { echo "not ok - cannot connect to $HOST:$PORT as $PGUSER"; exit 2; }
fi

WORK="$(mktemp -d)"
chmod 0777 "$WORK" # the postgres OS user writes and reads the dumps when it runs the tools
CREATED=()
cleanup() {
  local db
  for db in "${CREATED[@]}"; do sql -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null; done
  [ -n "${COPROC_PID:-}" ] && kill "$COPROC_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# One line per ordinary table, "schema.table|rows", counted in the current transaction's snapshot.
COUNT_SQL="SELECT n.nspname || '.' || c.relname || '|' ||
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname),
   false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1;"

# Reads the coprocess's output up to the marker line; prints it.
read_until_marker() {
  local line
  while IFS= read -r -t 60 line <&"${COPROC[0]}"; do
    [ "$line" = __done__ ] && return 0
    printf '%s\n' "$line"
  done
  return 1
}

mismatches=0
total_tables=0
total_rows=0
for db in "${DATABASES[@]}"; do
  if [ -z "$(sql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    echo "not ok - $db: no such database on $HOST:$PORT"
    mismatches=$((mismatches + 1))
    continue
  fi
  # The transaction whose snapshot both the counts and pg_dump see; it stays open until the dump is written.
  coproc "${AS[@]}" psql -X -q -At -v ON_ERROR_STOP=1 "${CONN[@]}" -d "$db" 2>"$WORK/coproc.err"
  printf '%s\n' 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;' 'SELECT pg_export_snapshot();' \
    '\echo __done__' >&"${COPROC[1]}"
  snapshot="$(read_until_marker)"
  printf '%s\n' "$COUNT_SQL" '\echo __done__' >&"${COPROC[1]}"
  read_until_marker >"$WORK/$db.source" || snapshot=""
  dump="$WORK/$db.dump"
  if [ -z "$snapshot" ] || ! "${AS[@]}" pg_dump "${CONN[@]}" -d "$db" --snapshot="$snapshot" -Fc -f "$dump" 2>"$WORK/dump.err"; then
    echo "not ok - $db: dump failed: $(cat "$WORK/coproc.err" "$WORK/dump.err" 2>/dev/null | head -n 3)"
    mismatches=$((mismatches + 1))
    printf 'ROLLBACK;\n\\q\n' >&"${COPROC[1]}"; wait "$COPROC_PID" 2>/dev/null
    continue
  fi
  printf 'ROLLBACK;\n\\q\n' >&"${COPROC[1]}"
  wait "$COPROC_PID" 2>/dev/null

  scratch="$SCRATCH_PREFIX$db"
  sql -d postgres -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null
  sql -d postgres -c "CREATE DATABASE \"$scratch\"" >/dev/null || { echo "not ok - $db: cannot create $scratch"; exit 2; }
  CREATED+=("$scratch")
  if ! "${AS[@]}" pg_restore "${CONN[@]}" -d "$scratch" --no-owner --no-privileges --exit-on-error "$dump" 2>"$WORK/restore.err"; then
    echo "not ok - $db: restore failed: $(head -n 3 "$WORK/restore.err")"
    mismatches=$((mismatches + 1))
    continue
  fi
  if [ "$TAMPER" = 1 ]; then
    largest="$(sort -t'|' -k2,2nr "$WORK/$db.source" | head -n 1 | cut -d'|' -f1)"
    sql -d "$scratch" -c "DELETE FROM $largest WHERE ctid IN (SELECT ctid FROM $largest LIMIT 1)" >/dev/null
  fi
  sql -d "$scratch" -c "$COUNT_SQL" >"$WORK/$db.restored"

  tables="$(wc -l <"$WORK/$db.source")"
  rows="$(awk -F'|' '{ s += $2 } END { print s + 0 }' "$WORK/$db.source")"
  total_tables=$((total_tables + tables))
  total_rows=$((total_rows + rows))
  if [ "$tables" -gt 0 ] && diff -q "$WORK/$db.source" "$WORK/$db.restored" >/dev/null; then
    echo "ok - $db: $tables tables, $rows rows restored with identical counts"
  else
    echo "not ok - $db: restored counts differ ($tables tables in the source)"
    # "table|source rows|restored rows" for every table whose count differs or that is missing on one side.
    join -t'|' -a1 -a2 -e missing -o 0,1.2,2.2 <(LC_ALL=C sort "$WORK/$db.source") <(LC_ALL=C sort "$WORK/$db.restored") |
      awk -F'|' '$2 != $3 { printf "#   %s: source %s, restored %s\n", $1, $2, $3 }'
    mismatches=$((mismatches + 1))
  fi
  if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp "$dump" "$KEEP/$db.dump"; fi
done

echo "test-restore: ${#DATABASES[@]} databases, $total_tables tables, $total_rows rows; $mismatches with a problem"
[ "$mismatches" -eq 0 ]
