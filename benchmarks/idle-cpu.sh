#!/usr/bin/env bash
# What the Nexus stack burns while nobody uses it: the CPU of each service, the Kafka broker and PostgreSQL (the
# whole cluster, so anything else it serves too) over REPS windows of DURATION seconds in which nothing is sent to
# Nexus, after SETTLE seconds of quiet. Everything a service does on its own shows here: outbox relays polling, the
# engine's claim and timer polls, Kafka consumers' empty fetches and heartbeats, health probes, metrics upkeep.
#
# Beside it, as the floor of an idle JVM on the same machine in the same run, one bare Quarkus-free JVM that only
# sleeps ("jvm-floor": java running Thread.sleep with the services' heap limit; its GC and JIT threads are all it
# spends), so that the services' figures can be read as a multiple of what any idle JVM costs here. Figures are % of
# one core (100 % = one core busy the whole window), medians (min–max) of the windows.
#
#   benchmarks/idle-cpu.sh
# Environment: REPS (3), DURATION (s per window, 60), SETTLE (s of quiet before the first window, 30), RESULT_JSON
#   (a path: the JSON summary, see benchmarks/lib/common.sh), NEXUS_STATE_DIR (.nexus), NEXUS_GATEWAY_URL
#   (http://127.0.0.1:8000).
# The Nexus stack is used as found; if it is down, scripts/nexus-local up starts it and it is stopped again at the end.
# The stack must be this checkout's (its pid files in NEXUS_STATE_DIR/pids name the processes measured).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
REPS="${REPS:-3}"
DURATION="${DURATION:-60}"
SETTLE="${SETTLE:-30}"
WORK="$(mktemp -d)"
PG=(psql -h 127.0.0.1 -U postgres -d postgres -XAt)
nexus_started_here=0
floor_pid=""
cleanup() {
  [ -n "$floor_pid" ] && kill "$floor_pid" 2>/dev/null
  if [ "$nexus_started_here" = 1 ]; then "$ROOT/scripts/nexus-local" down >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$BENCH/lib/common.sh"
ensure_command jq jq
ensure_command javac openjdk-17-jdk-headless

PROCESSES="api-gateway tenant-service workflow-service session-service marketplace-service kafka"

json_begin idle-cpu "CPU of the idle Nexus stack, per process, beside an idle JVM"
start_nexus_stack
declare -A PIDS
for p in $PROCESSES; do
  PIDS[$p]="$(cat "$STATE/pids/$p.pid" 2>/dev/null || true)"
  [ -n "${PIDS[$p]}" ] && kill -0 "${PIDS[$p]}" 2>/dev/null || die "$p is not running (no live pid in $STATE/pids/$p.pid)"
done

# The floor: a JVM with the services' heap limit (scripts/lib/common.sh) that does nothing but sleep.
mkdir -p "$WORK/floor"
cat >"$WORK/floor/Sleeper.java" <<'JAVA'
public class Sleeper {
    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
JAVA
javac -d "$WORK/floor" "$WORK/floor/Sleeper.java"
java "-Xmx${NEXUS_SERVICE_HEAP:-384m}" -cp "$WORK/floor" Sleeper &
floor_pid=$!
PIDS[jvm-floor]=$floor_pid

info "machine: $(machine_description)"
info "settling for ${SETTLE}s (nothing is sent to Nexus), then $REPS windows of ${DURATION}s"
sleep "$SETTLE"
: >"$WORK/results"
for ((rep = 1; rep <= REPS; rep++)); do
  declare -A before=()
  for p in "${!PIDS[@]}"; do before[$p]="$(cpu_ticks "${PIDS[$p]}")"; done
  pg_before="$(cpu_by_pid $(pg_pids))"
  sleep "$DURATION"
  for p in "${!PIDS[@]}"; do
    echo "$p $rep $(awk -v a="${before[$p]}" -v b="$(cpu_ticks "${PIDS[$p]}")" -v hz="$CLK_TCK" -v s="$DURATION" \
      'BEGIN { printf "%.2f", (b - a) / hz / s * 100 }')" >>"$WORK/results"
  done
  # shellcheck disable=SC2046 # a list of pids
  echo "postgresql $rep $(awk -v t="$(cpu_delta "$pg_before" "$(cpu_by_pid $(pg_pids))")" -v hz="$CLK_TCK" \
    -v s="$DURATION" 'BEGIN { printf "%.2f", t / hz / s * 100 }')" >>"$WORK/results"
  info "window $rep of $REPS done"
done

vals() { awk -v p="$1" '$1 == p { print $3 }' "$WORK/results"; }
echo
echo "CPU of the idle stack, % of one core, median (min–max) of $REPS windows of ${DURATION}s after ${SETTLE}s of quiet"
echo "($(nproc) cores; load average now $(load1))"
printf '%-22s %22s\n' process "% of a core"
total_by_rep() { # the five services and Kafka together, per window
  for ((rep = 1; rep <= REPS; rep++)); do
    awk -v r="$rep" -v list=" $PROCESSES " '$2 == r && index(list, " " $1 " ") { t += $3 } END { printf "%.2f\n", t }' \
      "$WORK/results"
  done
}
# shellcheck disable=SC2046 # lists of numbers
for p in $PROCESSES postgresql jvm-floor; do
  printf '%-22s %22s\n' "$p" "$(mmm 2 $(vals "$p"))"
  json_figure "$p" idle_cpu "% of a core" $(vals "$p")
done
# shellcheck disable=SC2046
printf '%-22s %22s\n' "services + Kafka" "$(mmm 2 $(total_by_rep))"
json_figure "services + Kafka" idle_cpu "% of a core" $(total_by_rep)
# The stack as a multiple of the idle JVM, per window
ratios="$(paste -d' ' <(total_by_rep) <(vals jvm-floor) | awk '$2 > 0 { printf "%.1f\n", $1 / $2 }')"
if [ -n "$ratios" ]; then
  # shellcheck disable=SC2086 # a list of numbers
  echo "services + Kafka as a multiple of the idle JVM floor: $(mmm 1 $ratios)x"
  # shellcheck disable=SC2086
  json_ratio "services + Kafka / idle JVM" $ratios
fi
json_setting reps "$REPS"
json_setting duration_s "$DURATION"
json_setting settle_s "$SETTLE"
for p in $PROCESSES; do json_subject "$p" nexus "the $p process, idle"; done
json_subject postgresql peer "every PostgreSQL process (the whole cluster)"
json_subject jvm-floor peer "a JVM that only sleeps (the services' heap limit): the floor of any idle JVM here"
json_write
