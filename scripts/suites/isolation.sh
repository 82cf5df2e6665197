#!/usr/bin/env bash
# Tenant isolation (docs/api.md §2), driven by the services' own OpenAPI documents: for every path with a parameter,
# find values with which tenant A reaches its own resource, then check that tenant B, with the same URL and the same
# method, gets exactly what it gets for a resource that does not exist: 404. Paths added later are covered by existing,
# as long as tenant A owns something they can name (the seeding below grows with the API).
# The marketplace catalog is the exception: published items are every tenant's to read and review by design, so its
# paths are left out here; scripts/suites/marketplace.sh checks what is the publisher's alone (versions, yank: 404 for
# another tenant) and that unpublished workflows never appear.
source "$(dirname "$0")/lib.sh"

SERVICES=(8081 8082 8083 8084)
tenant_a="$(new_tenant isolation-a)"
tenant_b="$(new_tenant isolation-b)"
read -r key_a key_a_id <<<"$(new_key "$tenant_a" admin)"
read -r key_b _ <<<"$(new_key "$tenant_b" admin)"

# --- Seed tenant A with one of everything the API lets it create. ---
# Each seed must succeed: a seed that fails shows here with its answer, not later as a missing template.
seeded() { local status; status="$(api "$@")"; [ "${status:0:1}" = 2 ] || { echo "# seed $2 $3 answered $status: $(body | head -c 300)"; return 1; }; }
check "A's API key is seeded" seeded "$key_a" POST "/api/v1/tenants/$tenant_a/api-keys" '{"name": "seed", "role": "viewer"}'
check "A's workflow is seeded" seeded "$key_a" POST /api/v1/workflows \
  '{"name": "isolation-seed", "nodes": [{"id": "only", "type": "transform", "config": {"expression": "1"}}]}'
check "A's execution is seeded" seeded "$key_a" POST /api/v1/workflows/isolation-seed/executions '{}'
check "A's session is seeded" seeded "$key_a" POST /api/v1/sessions '{"userId": "isolation", "data": {"secret": "a"}}'

# --- What A can name: its tenant id, and every id or name that A's own list endpoints return. ---
candidates="$WORK/candidates"
{ echo "$tenant_a"; echo "$key_a_id"; } >"$candidates"
collect_from() {
  if [ "$(api "$key_a" GET "$1")" = 200 ]; then
    body | jq -r '(.items // [])[] | (.id // empty), (.name // empty), (.installId // empty)' >>"$candidates" 2>/dev/null
  fi
}
openapi="$WORK/openapi"
for port in "${SERVICES[@]}"; do
  curl -s -m 10 "http://127.0.0.1:$port/q/openapi?format=json" >"$openapi.$port" || true
  for path in $(jq -r '.paths // {} | keys[] | select(startswith("/api/") and (contains("{") | not)
      and (startswith("/api/v1/marketplace/") | not))' "$openapi.$port" 2>/dev/null); do
    collect_from "$path"
  done
done
for path in "/api/v1/tenants/$tenant_a/api-keys"; do collect_from "$path"; done
sort -u "$candidates" -o "$candidates"

# fill TEMPLATE: prints every concrete path where each {param} takes a candidate value (bounded).
fill() {
  local template=$1
  local -a paths=("$template")
  while [[ "${paths[0]}" == *"{"* ]]; do
    local -a next=()
    local p value
    for p in "${paths[@]}"; do
      while read -r value; do
        [ -n "$value" ] && next+=("$(sed "s|{[^/}]*}|$value|" <<<"$p")")
      done <"$candidates"
    done
    paths=("${next[@]:0:400}")
  done
  printf '%s\n' "${paths[@]}"
}

missing_id="00000000-0000-7000-8000-000000000000"
exercised=0
as_missing() { sed -E "s|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|$missing_id|g" <<<"$1"; }

# B's METHOD on A's URL must answer what a missing resource answers, and never succeed; a read must be 404.
probe_as_b() {
  local method=$1 url=$2 template=$3 data="" status_b status_missing
  [ "$method" = GET ] || [ "$method" = DELETE ] || data='{}'
  status_b="$(api "$key_b" "$method" "$url" "$data")"
  status_missing="$(api "$key_b" "$method" "$(as_missing "$url")" "$data")"
  if [ "$method" = GET ]; then
    check "B gets 404 for A's GET $template" test "$status_b" = 404
  fi
  check "B's $method $template on A's resource fails like on a missing one ($status_b vs $status_missing)" \
    bash -c "[ '$status_b' = '$status_missing' ] && [ '$status_b' -ge 400 ]"
}

for port in "${SERVICES[@]}"; do
  for template in $(jq -r '.paths // {} | keys[] | select(startswith("/api/") and contains("{")
      and (startswith("/api/v1/marketplace/") | not))' "$openapi.$port" 2>/dev/null); do
    methods="$(jq -r --arg t "$template" '.paths[$t] | keys[] | ascii_upcase' "$openapi.$port" | grep -E '^(GET|DELETE|PATCH|PUT|POST)$')"
    if grep -qx GET <<<"$methods"; then
      found=""
      while read -r concrete; do
        if [ "$(api "$key_a" GET "$concrete")" = 200 ]; then found=$concrete; break; fi
      done < <(fill "$template")
      if [ -z "$found" ]; then
        check "tenant A owns something at $template (seed it in isolation.sh)" false
        continue
      fi
      exercised=$((exercised + 1))
      for method in $methods; do probe_as_b "$method" "$found" "$template"; done
      check "A still reaches its own $template" test "$(api "$key_a" GET "$found")" = 200
    else
      # No read to find A's resource with: try B on every combination of A's values (A's real ones among them).
      exercised=$((exercised + 1))
      QUIET_OK=1
      while read -r concrete; do
        for method in $methods; do probe_as_b "$method" "$concrete" "$template"; done
      done < <(fill "$template" | head -n 50)
      QUIET_OK=0
      check "B's $(echo $methods) on every combination of A's values at $template fails like on missing ones" true
    fi
  done
done
check "tenant A's key still works after B's attempts" test "$(api "$key_a" GET /api/v1/tenant)" = 200
check "the harness exercised at least one path with an id ($exercised)" test "$exercised" -gt 0

summary
