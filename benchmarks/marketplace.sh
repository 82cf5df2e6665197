#!/usr/bin/env bash
# Marketplace search (issue: 10,000 published items, mixed searches at a fixed 200 queries/s, p99 <= 20 ms, and the
# query plans of the slowest query kinds). On one machine, in one run:
#   1. Seeds ITEMS (10,000) published items with realistic text into marketplace-service's database
#      (benchmarks/marketplace/Catalog.java: a generator, no downloads), spread over PUBLISHERS (20) publisher tenants
#      created with the platform admin key. They are written with COPY (publishing 10,000 items one by one through
#      the API would take longer than the measurements); PostgreSQL computes their search columns exactly as for
#      published items, and search reads nothing else. Then ANALYZE.
#   2. The search mix of queries.tsv (Catalog.java: common words 25 %, two words 15 %, phrases 10 %, rare words 10 %,
#      typos 15 %, a word with a category and minRating 10 %, browsing a category by rating/installs/trending/newest
#      10 %, a tag by trending 5 %), GET /api/v1/marketplace/items?..., by benchmarks/marketplace/SearchLoad.java:
#        - open loop at RATE (200) queries/s: each request is due at a fixed time and its latency counts from then;
#        - closed loop at CONCURRENCY (8): the maximum throughput;
#      each both through the gateway (Authorization: Bearer <viewer key>: key lookup, rate limit, identity) and
#      straight to marketplace-service (:8084, X-Nexus-Identity signed here): direct is the peer, so the gateway's
#      share is a ratio measured in the same run.
#   3. The plans (EXPLAIN (ANALYZE, BUFFERS)) of the statement marketplace-service runs (SearchStatement, from its
#      compiled classes) for one query of each kind; the two kinds with the highest gateway p99 are printed, all of
#      them are kept in RESULTS_DIR.
# The seeded items and the tenants are deleted at the end.
#
# Floor (issue): p99 <= 20 ms at 200 q/s through the gateway. Printed, never an exit status.
# The machine is shared and has 2 cores: every figure is the median of RUNS rounds; a round runs the four
# measurements back to back, every other round in the reverse order. The 1-minute load average is printed at the start
# and the end, and kept per run.
#
#   benchmarks/marketplace.sh        (uses the running stack, or starts it with scripts/nexus-local up and stops it)
# Environment: ITEMS (10000), PUBLISHERS (20), RATE (200), CONNECTIONS (16, open loop), CONCURRENCY (8, closed loop),
# DURATION (s measured per run, 20), WARMUP (s unmeasured before each, 5), PREWARM (s unmeasured once per target at
# the start, 15), RUNS (REPS, else 3), SEED (42), RESULT_JSON (a path: the JSON summary, see benchmarks/lib/common.sh), NEXUS_GATEWAY_URL (http://127.0.0.1:8000), NEXUS_MARKETPLACE_URL
# (http://127.0.0.1:8084), MARKETPLACE_DB (marketplace_service), NEXUS_STATE_DIR (.nexus), RESULTS_DIR
# (~/.cache/nexus/bench).
# shellcheck disable=SC2046 # $(vals ...) and the like: lists of numbers, split on purpose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
ITEMS="${ITEMS:-10000}"
PUBLISHERS="${PUBLISHERS:-20}"
RATE="${RATE:-200}"
CONNECTIONS="${CONNECTIONS:-16}"
CONCURRENCY="${CONCURRENCY:-8}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-5}"
PREWARM="${PREWARM:-15}"
RUNS="${RUNS:-${REPS:-3}}"
SEED="${SEED:-42}"
GATEWAY="${NEXUS_GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT="${NEXUS_MARKETPLACE_URL:-http://127.0.0.1:8084}"
DB="${MARKETPLACE_DB:-marketplace_service}"
STATE="${NEXUS_STATE_DIR:-$ROOT/.nexus}"
CACHE="${NEXUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexus}"
RESULTS_DIR="${RESULTS_DIR:-$CACHE/bench}"
FLOOR_P99_MS=20
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -XAtq -v ON_ERROR_STOP=1)

WORK="$(mktemp -d)"
RESULTS="$WORK/results"
: >"$RESULTS"
nexus_started_here=0
admin_key=""
searcher=""
publishers=()
seeded=0

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$BENCH/lib/common.sh"

cleanup() {
  local status=$? t
  set +e
  if [ "$seeded" -eq 1 ]; then
    info "deleting the seeded items"
    "${PSQL[@]}" -c "BEGIN; CREATE TEMP TABLE bench_items ON COMMIT DROP AS SELECT id FROM items
      WHERE tenant_id = ANY ('{$(IFS=,; echo "${publishers[*]}")}'::uuid[]);
      DELETE FROM installs WHERE item_id IN (SELECT id FROM bench_items);
      DELETE FROM reviews WHERE item_id IN (SELECT id FROM bench_items);
      DELETE FROM item_stats WHERE item_id IN (SELECT id FROM bench_items);
      DELETE FROM item_versions WHERE item_id IN (SELECT id FROM bench_items);
      DELETE FROM items WHERE id IN (SELECT id FROM bench_items); COMMIT;" >/dev/null \
      && "${PSQL[@]}" -c "VACUUM ANALYZE items" -c "VACUUM ANALYZE item_versions" -c "VACUUM ANALYZE item_stats" >/dev/null
  fi
  for t in "${publishers[@]}" "$searcher"; do
    [ -n "$t" ] && curl -s -m 5 -o /dev/null -X DELETE -H "Authorization: Bearer $admin_key" "$GATEWAY/api/v1/tenants/$t"
  done
  if [ "$nexus_started_here" -eq 1 ]; then
    info "stopping the Nexus stack started by this script"
    "$ROOT/scripts/nexus-local" down >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_command curl curl
ensure_command jq jq
ensure_command openssl openssl
ensure_command psql postgresql-client
ensure_command java openjdk-17-jdk-headless

json_begin marketplace "Marketplace search over $ITEMS items: through the gateway vs direct to marketplace-service"
info "machine: $(machine_description)"
load_start="$(load1)"
start_nexus_stack
[ -d "$ROOT/marketplace-service/target/classes/io/nexus/marketplace/repository" ] \
  || die "no marketplace-service/target/classes: build the suite first (scripts/nexus-local up builds it)"
"${PSQL[@]}" -c "SELECT 1 FROM items LIMIT 1" >/dev/null || die "cannot read $DB's items as postgres on 127.0.0.1"

# ---------------------------------------------------------------------------------------------------- set-up
admin_key="$(cat "$STATE/admin-key")"
internal_key="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"
[ -n "$internal_key" ] || die "no NEXUS_INTERNAL_KEY in $STATE/state/tenant-service.env"
new_tenant() { # new_tenant NAME: the id of a new tenant whose rate limit is never reached
  curl -fsS -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$1-$(date +%s)-$RANDOM\", \"quotas\": {\"apiCallsPerMinute\": 1000000000}}" | jq -r .id
}
info "creating $PUBLISHERS publisher tenants and a searching tenant"
for _ in $(seq "$PUBLISHERS"); do publishers+=("$(new_tenant bench-publisher)"); done
searcher="$(new_tenant bench-searcher)"
read -r key key_id <<<"$(curl -fsS -X POST "$GATEWAY/api/v1/tenants/$searcher/api-keys" \
  -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"name": "bench", "role": "viewer"}' | jq -r '.key + " " + .id')"
[ -n "${key_id:-}" ] || die "could not create the searching tenant's API key"

info "generating $ITEMS items (seed $SEED) and seeding them with COPY"
java "$BENCH/marketplace/Catalog.java" "$ITEMS" "$(IFS=,; echo "${publishers[*]}")" "$SEED" "$WORK/catalog"
seeded=1
"${PSQL[@]}" <<SQL
BEGIN;
\\copy items (id, tenant_id, name, summary, description, categories, tags, license, workflow, latest_version, created_at, updated_at) FROM '$WORK/catalog/items.tsv'
\\copy item_versions (item_id, version, workflow_version, definition, published_at, yanked_at) FROM '$WORK/catalog/versions.tsv'
\\copy item_stats (item_id, rating_count, rating_sum, rating_1, rating_2, rating_3, rating_4, rating_5, installs, trend_log, updated_at) FROM '$WORK/catalog/stats.tsv'
COMMIT;
VACUUM ANALYZE items;
VACUUM ANALYZE item_stats;
SQL
info "the marketplace holds $("${PSQL[@]}" -c "SELECT count(*) FROM items WHERE latest_version IS NOT NULL") listed items"

# ---------------------------------------------------------------------------------------------------- measurements
QUERIES="$WORK/catalog/queries.tsv"
load() { # load TARGET MODE (open | closed) [seconds warm-up] [seconds measured]: RESULT lines, tagged
  local target=$1 mode=$2 url header
  if [ "$target" = gateway ]; then url=$GATEWAY header=(Authorization "Bearer $key")
  # Signed for marketplace-service right before each run: an identity lives 60 s at most (docs/api.md §2.9).
  else url=$DIRECT header=(X-Nexus-Identity "$(signed_identity "$searcher" "$key_id" "$internal_key" marketplace-service)"); fi
  if [ "$mode" = open ]; then
    java "$BENCH/marketplace/SearchLoad.java" open "$url" "$QUERIES" "${header[@]}" "$RATE" "${3:-$WARMUP}" \
      "${4:-$DURATION}" "$CONNECTIONS"
  else
    java "$BENCH/marketplace/SearchLoad.java" closed "$url" "$QUERIES" "${header[@]}" "$CONCURRENCY" "${3:-$WARMUP}" \
      "${4:-$DURATION}"
  fi
}
measure() { # measure ROUND TARGET MODE
  local l
  l="$(load1)"
  load "$2" "$3" | sed "s/^RESULT /RESULT round=$1 target=$2 mode=$3 load1=$l /" >>"$RESULTS"
  info "round $1 $2 $3: $(grep "round=$1 target=$2 mode=$3 .* kind=all " "$RESULTS" | cut -d' ' -f6-)"
}

info "pre-warming each target for $PREWARM s (JIT, caches, connection pools)"
for target in gateway direct; do load "$target" closed 0 "$PREWARM" >/dev/null; done

order=(gateway:open direct:open gateway:closed direct:closed)
for round in $(seq "$RUNS"); do
  if [ $((round % 2)) -eq 0 ]; then steps=("${order[@]}"); else steps=(); for ((i = ${#order[@]} - 1; i >= 0; i--)); do steps+=("${order[i]}"); done; fi
  for step in "${steps[@]}"; do measure "$round" "${step%%:*}" "${step##*:}"; done
done

# ---------------------------------------------------------------------------------------------------- report
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { # med TARGET MODE KIND FIELD
  grep " target=$1 mode=$2 " "$RESULTS" | grep " kind=$3 " | while read -r l; do field "$l" "$4"; done | median
}
kinds="all $(cut -f1 "$QUERIES" | sort -u | tr '\n' ' ')"

echo
echo "Marketplace search over $ITEMS items, medians of $RUNS rounds (ms; rate = answered queries/s)"
printf '%-10s | %-36s | %-36s | %s\n' "" "open loop at $RATE q/s: p50 / p99 / errors" "" "max throughput (closed, c=$CONCURRENCY)"
printf '%-10s | %12s %12s %8s | %12s %12s %8s | %9s %9s %7s\n' kind "gw p50" "gw p99" "gw err" "direct p50" \
  "direct p99" "err" "gw q/s" "direct" "ratio"
for kind in $kinds; do
  gw_rate="$(med gateway closed "$kind" rate)"; d_rate="$(med direct closed "$kind" rate)"
  printf '%-10s | %12s %12s %8s | %12s %12s %8s | %9s %9s %7s\n' "$kind" \
    "$(med gateway open "$kind" p50)" "$(med gateway open "$kind" p99)" "$(med gateway open "$kind" errors)" \
    "$(med direct open "$kind" p50)" "$(med direct open "$kind" p99)" "$(med direct open "$kind" errors)" \
    "$gw_rate" "$d_rate" "$(awk -v a="$gw_rate" -v b="$d_rate" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')"
done
gw_p99="$(med gateway open all p99)"
d_p99="$(med direct open all p99)"
echo
echo "Floor: p99 <= $FLOOR_P99_MS ms at $RATE q/s through the gateway: $gw_p99 ms," \
  "$(awk -v p="$gw_p99" -v f="$FLOOR_P99_MS" 'BEGIN { print (p <= f ? "met" : "MISSED") }')" \
  "(direct: $d_p99 ms; gateway/direct p99 $(awk -v a="$gw_p99" -v b="$d_p99" 'BEGIN { printf "%.2f", a / b }')x)"

# The plans of one query of each kind; the two kinds with the highest gateway p99 are printed.
mkdir -p "$RESULTS_DIR"
stamp="$(date +%Y%m%dT%H%M%S)"
plans="$RESULTS_DIR/marketplace-plans-$stamp.txt"
for kind in $(cut -f1 "$QUERIES" | sort -u); do grep -m1 "^$kind	" "$QUERIES"; done >"$WORK/plan-queries"
typo_below=3 similarity=0.4 # marketplace-service's defaults (nexus.marketplace.search.*)
java -cp "$ROOT/marketplace-service/target/classes" "$BENCH/marketplace/SearchPlans.java" "$typo_below" "$similarity" \
  <"$WORK/plan-queries" | "${PSQL[@]}" >"$plans" 2>&1 || warn "explaining failed: see $plans"
slowest="$(for kind in $(cut -f1 "$QUERIES" | sort -u); do echo "$(med gateway open "$kind" p99) $kind"; done \
  | sort -gr | head -2 | cut -d' ' -f2)"
for kind in $slowest; do
  echo
  echo "Plan of a '$kind' query (gateway p99 $(med gateway open "$kind" p99) ms):"
  awk -v k="=== $kind:" 'index($0, k) == 1 { on = 1; print; next } /^=== / { on = 0 } on' "$plans"
done
echo
echo "All plans: $plans"
cp "$RESULTS" "$RESULTS_DIR/marketplace-$stamp.txt"

# ---------------------------------------------------------------------------------------------------- JSON
vals() { grep " target=$1 mode=$2 " "$RESULTS" | grep " kind=$3 " | while read -r l; do field "$l" "$4"; done; }
round_ratios() { # gateway/direct closed-loop q/s per round
  local r
  for r in $(seq "$RUNS"); do
    awk -v a="$(grep "round=$r target=gateway mode=closed " "$RESULTS" | grep ' kind=all ' | while read -r l; do field "$l" rate; done)" \
      -v b="$(grep "round=$r target=direct mode=closed " "$RESULTS" | grep ' kind=all ' | while read -r l; do field "$l" rate; done)" \
      'BEGIN { if (b > 0) printf "%.4f\n", a / b }'
  done
}
json_setting reps "$RUNS"
json_setting items "$ITEMS"
json_setting rate "$RATE"
json_setting concurrency "$CONCURRENCY"
json_setting duration_s "$DURATION"
json_subject gateway nexus "marketplace-service through the Nexus gateway (viewer key)"
json_subject direct peer "marketplace-service directly (signed identity): the reference"
# shellcheck disable=SC2046 # lists of numbers
for target in gateway direct; do
  json_figure "$target" "open_p50_at_${RATE}qps" ms $(vals "$target" open all p50)
  json_figure "$target" "open_p99_at_${RATE}qps" ms $(vals "$target" open all p99)
  json_figure "$target" closed_max_qps "queries/s" $(vals "$target" closed all rate)
done
json_ratio "gateway/direct max queries/s" $(round_ratios)
json_target "gateway p99 at $RATE q/s, ms (floor)" "$gw_p99" "<=" "$FLOOR_P99_MS" \
  "$(pass_json "$(check_target "$gw_p99" "<=" "$FLOOR_P99_MS")")" "median over $RUNS rounds; direct $d_p99 ms"
json_write
info "load average: $load_start at the start, $(load1) at the end; RESULT lines: $RESULTS_DIR/marketplace-$stamp.txt"
