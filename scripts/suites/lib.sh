# Helpers for the process-level suites that scripts/nexus-local test runs against a running stack. Sourced.
# A suite prints "ok - ..." / "not ok - ..." per check and a summary, and exits non-zero when a check failed.
# Environment from nexus-local: NEXUS_ADMIN_KEY, NEXUS_STATE_DIR, DB_HOST/DB_PORT/DB_USER/DB_PASSWORD.
# shellcheck shell=bash
set -uo pipefail

GATEWAY="${1:?usage: $0 <gateway-url>}"
GATEWAY="${GATEWAY%/}"
SUITE_NAME="$(basename "$0" .sh)"
: "${NEXUS_ADMIN_KEY:?NEXUS_ADMIN_KEY is required}"
passed=0
failed=0
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

QUIET_OK=0
check() {
  local description=$1
  shift
  if "$@"; then
    [ "$QUIET_OK" = 1 ] || echo "ok - $description"
    passed=$((passed + 1))
  else
    echo "not ok - $description"
    failed=$((failed + 1))
  fi
}

# http METHOD URL [curl args...]: prints the status; the body is in $WORK/body, headers in $WORK/headers.
http() {
  local method=$1 url=$2
  shift 2
  curl -s -m 15 -X "$method" -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$@" "$url"
}

body() { cat "$WORK/body"; }
header() { grep -i "^$1:" "$WORK/headers" | head -n 1 | cut -d: -f2- | tr -d ' \r'; }


# api WHO METHOD PATH [BODY] [GATEWAY]: a call through the gateway with key WHO ("admin" for the platform admin).
api() {
  local who=$1 method=$2 path=$3 data=${4:-} gateway=${5:-$GATEWAY} key
  if [ "$who" = admin ]; then key=$NEXUS_ADMIN_KEY; else key=$who; fi
  if [ -n "$data" ]; then
    http "$method" "$gateway$path" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$data"
  else
    http "$method" "$gateway$path" -H "Authorization: Bearer $key"
  fi
}

# new_tenant NAME [QUOTAS_JSON]: prints the new tenant's id.
new_tenant() {
  local quotas=${2:-}
  local data="{\"name\": \"$1-$RANDOM$RANDOM\"${quotas:+, \"quotas\": $quotas}}"
  api admin POST /api/v1/tenants "$data" >/dev/null
  body | jq -r .id
}

# new_key TENANT ROLE: prints "key keyId".
new_key() {
  api admin POST "/api/v1/tenants/$1/api-keys" "{\"name\": \"suite\", \"role\": \"$2\"}" >/dev/null
  body | jq -r '.key + " " + .id'
}

# eventually SECONDS COMMAND...: retries every 50 ms; succeeds as soon as COMMAND does.
eventually() {
  local limit_ms=$(($1 * 1000))
  shift
  local start end
  start=$(date +%s%3N)
  while true; do
    if "$@"; then return 0; fi
    end=$(date +%s%3N)
    [ $((end - start)) -ge "$limit_ms" ] && return 1
    sleep 0.05
  done
}

summary() {
  echo "$SUITE_NAME: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
