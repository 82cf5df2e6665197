# Helpers the benchmarks share (gateway-overhead.sh, workflow-executions.sh, async-executions.sh, sessions.sh,
# marketplace.sh, mcp.sh; run-all). Sourced, never run.
# Expects from the script: ROOT, BENCH, WORK, STATE, GATEWAY, PG (the psql command as an array) and
# nexus_started_here (set to 1 here when start_nexus starts the stack); the JSON summary (json_*) needs only WORK.
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
    # A backend may exit between pgrep and here: skip it, and never let that be the function's status (the caller's
    # `x="$(cpu_by_pid ...)"` would end a `set -e` script without a word).
    if v="$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)"; then echo "$p=$v"; fi
  done
  return 0
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

# ---------------------------------------------------------------------------------------------------- statistics
# stats VALUE...: "median min max n" of the numeric values (others, e.g. empty or nan, are left out); "nan nan nan 0"
# when there are none. The median of an even count is the mean of the middle two.
stats() {
  printf '%s\n' "$@" | awk '$1 ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ { print $1 + 0 }' | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan nan nan 0"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR], NR }'
}
# median VALUE...: the median alone
median_of() { stats "$@" | cut -d' ' -f1; }
# mmm DECIMALS VALUE...: "median (min–max)" for the console, e.g. "3985 (3850–4020)"; just the value when there is one
mmm() {
  local d=$1
  shift
  stats "$@" | awk -v d="$d" '{ f = "%." d "f"; if ($4 == 0) print "-"; else if ($4 == 1) printf f "\n", $1;
    else printf f " (" f "–" f ")\n", $1, $2, $3 }'
}

# ---------------------------------------------------------------------------------------------------- machine
cpu_model() { sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1; }
memory_mib() { awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo; }
# machine_description: one line, e.g. "2 shared cores (Intel Xeon ...), 23.5 GiB memory, load average 1.20 0.90 0.50"
machine_description() {
  local cores
  cores="$(nproc) cores"
  [ "$(nproc)" -eq 2 ] && cores="2 shared cores"
  echo "$cores ($(cpu_model)), $(awk -v m="$(memory_mib)" 'BEGIN { printf "%.1f", m / 1024 }') GiB memory," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
git_commit() { git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown; }
git_dirty() { if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then echo true; else echo false; fi; }

# ---------------------------------------------------------------------------------------------------- JSON summary
# Every benchmark writes, when RESULT_JSON=<path> is set, one JSON document with its figures (benchmarks/run-all
# collects them). Schema "nexus-bench/1":
#   {"schema", "benchmark", "title", "date" (UTC, ISO 8601), "commit", "dirty" (tracked files changed),
#    "machine": {"nproc", "cpu", "memory_mib", "load_start", "load_end" (1-minute load averages)},
#    "settings": {NAME: value},                 what the run was configured with (durations, repetitions, ...)
#    "subjects": [{"name", "role" (nexus | peer), "description"}],   what was measured: Nexus and its peers
#    "figures": [{"subject", "metric", "unit", "median", "min", "max", "n", "values"}],   one per subject and metric,
#               over the repetitions
#    "ratios": [{"name", "median", "min", "max", "n", "values"}],   dimensionless (x), over the repetitions
#    "targets": [{"name", "value", "op" (<= or >=), "limit", "pass" (true | false | null: not decidable), "note"}],
#    "notes": [text]}
# The helpers append records to $WORK/json-records (one JSON object a line); json_write assembles the document.
# Values that are not numbers become null.
json_begin() { # json_begin NAME TITLE: starts the summary (call once, early: it records the load average at the start)
  ensure_command jq jq
  JSON_RECORDS="$WORK/json-records"
  jq -nc --arg name "$1" --arg title "$2" --arg load "$(load1)" \
    '{type: "begin", benchmark: $name, title: $title, load_start: ($load | tonumber? // null)}' >"$JSON_RECORDS"
}
_json_record() { [ -n "${JSON_RECORDS:-}" ] && jq -nc "$@" >>"$JSON_RECORDS"; return 0; }
json_setting() { # json_setting NAME VALUE
  _json_record --arg n "$1" --arg v "$2" '{type: "setting", name: $n, value: ($v | tonumber? // $v)}'
}
json_subject() { # json_subject NAME ROLE DESCRIPTION
  _json_record --arg n "$1" --arg r "$2" --arg d "$3" '{type: "subject", name: $n, role: $r, description: $d}'
}
# json_figure SUBJECT METRIC UNIT VALUE...: one figure over the repetitions (median, min, max of the values)
json_figure() {
  local subject=$1 metric=$2 unit=$3
  shift 3
  _json_record --arg s "$subject" --arg m "$metric" --arg u "$unit" --args \
    '{type: "figure", subject: $s, metric: $m, unit: $u, values: [$ARGS.positional[] | tonumber? // empty]}' "$@"
}
# json_ratio NAME VALUE...: a ratio (x) over the repetitions
json_ratio() {
  local name=$1
  shift
  _json_record --arg n "$name" --args '{type: "ratio", name: $n, values: [$ARGS.positional[] | tonumber? // empty]}' "$@"
}
# json_target NAME VALUE OP LIMIT PASS [NOTE]: PASS is true, false or null (not decidable)
json_target() {
  _json_record --arg n "$1" --arg v "$2" --arg op "$3" --arg l "$4" --arg p "$5" --arg note "${6:-}" \
    '{type: "target", name: $n, value: ($v | tonumber? // null), op: $op, limit: ($l | tonumber? // null),
      pass: ({"true": true, "false": false}[$p]), note: (if $note == "" then null else $note end)}'
}
json_note() { _json_record --arg t "$1" '{type: "note", text: $t}'; }
# check_target VALUE OP LIMIT: PASS or FAIL (n/a when either side is not a number)
check_target() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { num = "^-?[0-9.]+([eE][-+]?[0-9]+)?$"
    if (v !~ num || l !~ num) { print "n/a"; exit }
    ok = op == "<=" ? v + 0 <= l + 0 : v + 0 >= l + 0; print ok ? "PASS" : "FAIL" }'
}
# pass_json PASS|FAIL|n/a: true, false or null
pass_json() { case "$1" in PASS) echo true ;; FAIL) echo false ;; *) echo null ;; esac; }
# json_write: writes the document to $RESULT_JSON (when set) and says so on stderr
json_write() {
  [ -n "${RESULT_JSON:-}" ] && [ -n "${JSON_RECORDS:-}" ] || return 0
  mkdir -p "$(dirname "$RESULT_JSON")"
  jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git_commit)" --argjson dirty "$(git_dirty)" \
    --argjson nproc "$(nproc)" --arg cpu "$(cpu_model)" --argjson mem "$(memory_mib)" --arg load "$(load1)" '
    def summary: (.values | sort) as $v | ($v | length) as $n
      | . + {median: (if $n == 0 then null elif $n % 2 == 1 then $v[($n - 1) / 2]
                      else ($v[$n / 2 - 1] + $v[$n / 2]) / 2 end),
             min: $v[0], max: $v[-1], n: $n};
    (map(select(.type == "begin")) | first) as $b
    | {schema: "nexus-bench/1", benchmark: $b.benchmark, title: $b.title, date: $date, commit: $commit, dirty: $dirty,
       machine: {nproc: $nproc, cpu: $cpu, memory_mib: $mem, load_start: $b.load_start,
                 load_end: ($load | tonumber? // null)},
       settings: (map(select(.type == "setting") | {(.name): .value}) | add // {}),
       subjects: map(select(.type == "subject") | del(.type)),
       figures: map(select(.type == "figure") | del(.type) | summary),
       ratios: map(select(.type == "ratio") | del(.type) | summary),
       targets: map(select(.type == "target") | del(.type)),
       notes: map(select(.type == "note") | .text)}' "$JSON_RECORDS" >"$RESULT_JSON"
  info "JSON summary written to $RESULT_JSON"
}
