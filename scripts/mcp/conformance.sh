#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in package.json, run on the pinned
# Node 22: it does not run on Node 20) against the server scenarios of an MCP server, with a per-scenario summary.
#
#   scripts/mcp/conformance.sh URL [--scenarios-file FILE | --scenarios A,B,... | --scenario A] [suite options]
#   scripts/mcp/conformance.sh --everything [...]      (the same against server-everything, started here)
#
# Without --scenarios(-file) it runs the suite's default ("active") set in one go; with a list it runs those
# scenarios one by one (scripts/mcp/nexus-scenarios.txt: the ones that apply to Nexus, see CONFORMANCE.md). Anything
# else is passed to `conformance server` (e.g. --suite all, --spec-version 2025-06-18, --expected-failures FILE).
# Exit status: 0 when every scenario run passed (or, with --expected-failures, what the suite says about the
# baseline), 1 otherwise, 2 for usage errors.
#
# Environment:
#   MCP_AUTHORIZATION  the value of an Authorization header the server needs ("Bearer <key>"). The suite has no
#                      way to send headers, so header-proxy.mjs (started here on 127.0.0.1:39150-39199) forwards
#                      to URL with that header added, and the suite talks to the proxy.
#   CONFORMANCE_OUT    keep the suite's checks.json files (one folder per scenario) and its log here; default: a
#                      temporary folder, removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=../lib/mcp.sh
source "$ROOT/scripts/lib/mcp.sh"

usage() { sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,3\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
url=$1
shift
scenarios=()
passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) [ $# -ge 2 ] || usage; IFS=, read -r -a more <<<"$2"; scenarios+=("${more[@]}"); shift 2 ;;
    --scenario) [ $# -ge 2 ] || usage; scenarios+=("$2"); shift 2 ;; # the suite's own flag, one scenario
    --scenarios-file) [ $# -ge 2 ] || usage; mapfile -t more < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$2" | grep .)
      scenarios+=("${more[@]}"); shift 2 ;;
    --url | -o | --output-dir) die "$1 is set by this script" ;;
    *) passthrough+=("$1"); shift ;;
  esac
done

ensure_command jq jq
ensure_mcp_tools
NODE="$(mcp_node22)"
CONFORMANCE="$MCP_DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js"

WORK="$(mktemp -d)"
OUT="${CONFORMANCE_OUT:-$WORK/out}"
mkdir -p "$OUT"
EVERYTHING_PID=""
PROXY_PID=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local status=$?
  mcp_stop "$PROXY_PID"
  mcp_stop "$EVERYTHING_PID"
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$url" = --everything ]; then
  mcp_start_everything "$WORK/everything.log"
  url=$EVERYTHING_URL
  info "server-everything (pid $EVERYTHING_PID) at $url"
fi
target=$url
if [ -n "${MCP_AUTHORIZATION:-}" ]; then
  mcp_start_proxy "$url" "$WORK/proxy.log"
  target=$PROXY_URL
  info "through the header proxy at $target (adds Authorization)"
fi

# The suite prints every check; that goes to the log, and the summary below is built from its checks.json files.
log="$OUT/conformance.log"
: >"$log"
status=0
if [ ${#scenarios[@]} -eq 0 ]; then
  info "conformance server --url $target ${passthrough[*]} (log: $log)"
  "$NODE" "$CONFORMANCE" server --url "$target" -o "$OUT" "${passthrough[@]}" >>"$log" 2>&1 || status=$?
  mapfile -t scenarios < <(sed -n 's/^=== Running scenario: \(.*\) ===$/\1/p' "$log")
  [ ${#scenarios[@]} -gt 0 ] || { cat "$log" >&2; die "the suite ran no scenario (its output above)"; }
else
  info "conformance server --url $target, ${#scenarios[@]} scenarios one by one (log: $log)"
  for scenario in "${scenarios[@]}"; do
    "$NODE" "$CONFORMANCE" server --url "$target" --scenario "$scenario" -o "$OUT" "${passthrough[@]}" \
      >>"$log" 2>&1 || status=1
  done
fi

# One line per scenario: PASS when no check failed (warnings are shown, not counted), FAIL with the first failure's
# message, NO RESULT when the suite crashed before writing checks.json (the log has the reason).
echo "MCP conformance ($(jq -r .version "$MCP_DIR/node_modules/@modelcontextprotocol/conformance/package.json")) against $url"
passed=0 failed=0
for scenario in "${scenarios[@]}"; do
  checks="$(find "$OUT" -maxdepth 2 -path "$OUT/server-$scenario-[0-9]*/checks.json" | sort | tail -n 1)"
  if [ -z "$checks" ]; then
    printf '%-6s %-32s %s\n' "ERROR" "$scenario" "no result (see $log)"
    failed=$((failed + 1))
    continue
  fi
  line="$(jq -r '[(map(select(.status == "SUCCESS")) | length), (map(select(.status == "FAILURE")) | length),
      (map(select(.status == "WARNING")) | length),
      (map(select(.status == "FAILURE"))[0].errorMessage // "" | gsub("\\s+"; " "))] | @tsv' \
    "$checks")"
  IFS=$'\t' read -r ok bad warn message <<<"$line"
  if [ "$bad" -eq 0 ]; then verdict=PASS passed=$((passed + 1)); else verdict=FAIL failed=$((failed + 1)); fi
  detail="$ok ok, $bad failed"
  [ "$warn" -eq 0 ] || detail+=", $warn warnings"
  printf '%-6s %-32s %s\n' "$verdict" "$scenario" "$(printf '%-28s %s' "$detail" "${message:0:110}" | sed 's/ *$//')"
done
echo "conformance: $passed passed, $failed failed"
if [ "$failed" -gt 0 ] && [ -z "${CONFORMANCE_OUT:-}" ]; then
  info "each check's details: run again with CONFORMANCE_OUT=DIR, which keeps the checks.json files and the log"
fi
# With a baseline the suite's own verdict stands (a failure it expects is fine, a stale entry is not).
[[ " ${passthrough[*]} " == *" --expected-failures "* ]] || [ "$failed" -eq 0 ] || status=1
exit "$status"
