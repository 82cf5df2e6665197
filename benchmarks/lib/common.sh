# Helpers the benchmarks share (workflow-executions.sh, async-executions.sh, gateway-overhead.sh, sessions.sh). Sourced,
# never run.
# Expects from the script: ROOT, BENCH, WORK, STATE, GATEWAY, PG (the psql command as an array) and
# nexus_started_here (set to 1 here when start_nexus starts the stack).
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # globals the sourcing scripts set (background_rate) and read (the rest)

# info, warn, die, port_open, port_holder, ensure_command (shared with scripts/nexus-local)
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/basics.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/basics.sh"

load1() { cut -d' ' -f1 /proc/loadavg; }
# busy_ticks: CPU time of the whole machine outside idle and iowait
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
CLK_TCK="$(getconf CLK_TCK)"
# cpu_ticks PID...: utime + stime of these processes (a vanished one counts 0)
cpu_ticks() {
  local p t=0 v
  for p in "$@"; do
    v="$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)"
    t=$((t + v))
  done
  echo "$t"
}
# cpu_by_pid PID...: "pid=ticks" (utime + stime) per line for each of these processes that is alive
cpu_by_pid() {
  local p v
  for p in "$@"; do
    v="$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)" && echo "$p=$v"
  done
}
# cpu_delta BEFORE AFTER: ticks used between two cpu_by_pid snapshots by the processes alive at both. A process that
# exits in between (a short-lived PostgreSQL backend) would otherwise take its ticks with it and make the sum negative.
cpu_delta() {
  awk -F= 'NR == FNR { before[$1] = $2; next } ($1 in before) { t += $2 - before[$1] } END { print t + 0 }' \
    <(echo "$1") <(echo "$2")
}
pg_pids() { pgrep -x postgres | paste -sd' ' - || true; }

# field LINE NAME: the value of NAME=... in a RESULT line
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# ---------------------------------------------------------------------------------------------------- Nexus
# Seconds to wait after load before reading xact_commit: PostgreSQL 15 backends report their counters at most once a
# second while busy and within 10 s once idle, so a reading taken sooner misses commits and the next one counts them.
STATS_FLUSH_WAIT=11
commits() { "${PG[@]}" -c "select xact_commit from pg_stat_database where datname = 'workflow_service'"; }

# start_nexus_stack: uses the running stack, or starts one (and sets nexus_started_here so that the script stops it);
# dies when the running stack is not this checkout's (no admin key in $STATE).
start_nexus_stack() {
  if curl -fs -m 5 -o /dev/null "$GATEWAY/health"; then
    info "using the running Nexus stack"
  else
    info "starting the Nexus stack (scripts/nexus-local up)"
    nexus_started_here=1
    "$ROOT/scripts/nexus-local" up --no-build >/dev/null 2>&1 || "$ROOT/scripts/nexus-local" up >/dev/null
  fi
  [ -s "$STATE/admin-key" ] || die "no $STATE/admin-key: is the running stack another checkout's? set NEXUS_STATE_DIR"
}

# start_nexus: start_nexus_stack, and checks that PostgreSQL's statistics can be read (for commits).
start_nexus() {
  start_nexus_stack
  ensure_command openssl openssl
  ensure_command psql postgresql-client
  commits >/dev/null || die "cannot read pg_stat_database as postgres on 127.0.0.1"
}

# bench_tenant NAME_PREFIX CONCURRENT: a tenant whose quotas are never reached (concurrentExecutions CONCURRENT), a
# developer key, and the benchmark workflow registered. Sets api_key (for the gateway), and what direct_identity
# signs with: the X-Nexus-Identity the gateway would forward to workflow-service, for direct calls.
bench_tenant() {
  local prefix=$1 concurrent=$2 admin_key internal_key tenant key_json key_id status
  admin_key="$(cat "$STATE/admin-key")"
  internal_key="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"
  [ -n "$internal_key" ] || die "no NEXUS_INTERNAL_KEY in $STATE/state/tenant-service.env"
  tenant="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d "{\"name\": \"$prefix-$(date +%s)-$RANDOM\", \"quotas\":
      {\"apiCallsPerMinute\": 1000000000, \"executionsPerDay\": 100000000,
       \"concurrentExecutions\": $concurrent}}" | jq -r .id)"
  key_json="$(curl -fsS -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}')"
  api_key="$(jq -r .key <<<"$key_json")"
  key_id="$(jq -r .id <<<"$key_json")"
  status="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST "$GATEWAY/api/v1/workflows" \
    -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' -d @"$BENCH/nexus/bench-three-steps.json")"
  [ "$status" = 201 ] || die "registering the workflow answered $status: $(cat "$WORK/register.json")"

  bench_identity=("$tenant" "$key_id" "$internal_key")
}

# direct_identity: a fresh X-Nexus-Identity for workflow-service for bench_tenant's key. An identity lives 60 s at
# most (docs/api.md §2.9), so sign one right before each direct run (runs longer than about a minute would outlive it).
direct_identity() { signed_identity "${bench_identity[@]}" workflow-service; }

# signed_identity TENANT KEY_ID INTERNAL_KEY AUDIENCE: the X-Nexus-Identity the gateway would forward to the service
# AUDIENCE (e.g. workflow-service) for a developer key of TENANT (HS256 with the internal key), for calls that bypass
# the gateway. Valid for 60 s, the longest lifetime a service accepts, and only at AUDIENCE.
signed_identity() {
  local now header payload signature
  b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
  now=$(date +%s)
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"nexus-gateway","aud":"%s","iat":%d,"exp":%d,"role":"developer","tid":"%s","kid":"%s","ch":"api"}' \
    "$4" "$now" $((now + 60)) "$1" "$2" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$3" -binary | b64url)
  echo "$header.$payload.$signature"
}

# append_commits BEFORE AFTER T0 T1 LINE: appends commits per execution (raw, and with the idle $background_rate
# subtracted) to the last RESULT line in $RESULTS, which run_load wrote for LINE.
append_commits() {
  local before=$1 after=$2 t0=$3 t1=$4 total raw net
  total="$(field "$5" total)"
  raw="$(awk -v a="$before" -v b="$after" -v n="$total" 'BEGIN { printf "%.2f", (b - a) / n }')"
  net="$(awk -v a="$before" -v b="$after" -v n="$total" -v r="$background_rate" -v t0="$t0" -v t1="$t1" \
    'BEGIN { v = (b - a - r * (t1 - t0)) / n; if (v < 0.005 && v > -0.005) v = 0; printf "%.2f", v }')"
  sed -i '$ s/$/ commits='"$raw"' commits_net='"$net"'/' "$RESULTS"
}
