#!/usr/bin/env bash
# The monitoring of k8s/base/monitoring, checked for real: promtool checks the PrometheusRule nexus-alerts and runs
# its unit tests (a firing and a silent case per alert), then a real Prometheus (Debian's `prometheus`) scrapes the
# five local services and every expression the repository ships must evaluate without error and return series: the
# alert expressions, the Grafana panels and variables of the nexus-dashboards ConfigMap, and every `query:` of the
# k8s/ manifests (the KEDA trigger of workflow-service). A name that does not exist returns nothing and fails here.
source "$(dirname "$0")/lib.sh"
ROOT="${NEXUS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$ROOT/scripts/lib/basics.sh"
MONITORING="$ROOT/k8s/base/monitoring"
# The local stack's ports (scripts/nexus-local); in the cluster the ServiceMonitor finds the pods instead.
declare -A PORTS=([api-gateway]=8000 [tenant-service]=8081 [workflow-service]=8082 [session-service]=8083
  [marketplace-service]=8084)
# NEXUS_METRICS_PORTS="service=port ...": another instance to scrape instead (e.g. a build not yet in the stack).
for pair in ${NEXUS_METRICS_PORTS:-}; do PORTS[${pair%%=*}]=${pair#*=}; done

ensure_command promtool prometheus
ensure_command prometheus prometheus
ensure_command yq yq
ensure_command jq jq
ensure_command python3 python3

# --- promtool: the rule groups of the PrometheusRule as a plain rules file, beside a copy of the unit tests ---------
RULES="$WORK/nexus-alerts.rules.yaml"
yq -y '.spec' "$MONITORING/prometheusrule.yaml" >"$RULES"
cp "$MONITORING/alerts-test.yaml" "$WORK/"
quietly() { "$@" >"$WORK/quiet.log" 2>&1 || { cat "$WORK/quiet.log" >&2; false; }; }
check "promtool check rules accepts nexus-alerts" quietly promtool check rules "$RULES"
# promtool resolves rule_files next to the test file.
check "promtool test rules: every unit test of alerts-test.yaml passes" \
  quietly bash -c "cd '$WORK' && promtool test rules alerts-test.yaml"

# Each alert needs a test where it fires and one where it stays silent, and a runbook section link. (JSON copies for
# jq: the Debian yq starts a Python interpreter per call, too slow to ask it 30 questions.)
yq . "$MONITORING/alerts-test.yaml" >"$WORK/tests.json"
yq . "$RULES" >"$WORK/rules.json"
# One line per alert: its name, how many unit tests expect it firing and silent, its runbook_url.
jq -r --slurpfile tests "$WORK/tests.json" '.groups[].rules[] | .alert as $a
  | [$tests[0].tests[].alert_rule_test[]? | select(.alertname == $a) | (.exp_alerts | length)] as $cases
  | [$a, ($cases | map(select(. > 0)) | length), ($cases | map(select(. == 0)) | length), .annotations.runbook_url]
  | @tsv' "$WORK/rules.json" >"$WORK/alerts.tsv"
ALERTS=()
while IFS=$'\t' read -r alert fires silent runbook; do
  ALERTS+=("$alert")
  check "$alert has a firing unit test" test "$fires" -gt 0
  check "$alert has a silent unit test" test "$silent" -gt 0
  check "$alert links docs/runbook.md#${alert,,}" test "$runbook" = "docs/runbook.md#${alert,,}"
done <"$WORK/alerts.tsv"
check "the rules hold alerts" test "${#ALERTS[@]}" -gt 0
for dashboard in "$MONITORING"/dashboards/*.json; do
  check "$(basename "$dashboard") is JSON with a uid and panels" \
    jq -e '.uid and (.panels | length > 0)' "$dashboard" >/dev/null
done

# What kustomize makes of the directory: the three objects, the dashboards ConfigMap under its stable name and label.
rendered_monitoring() {
  kubectl kustomize "$MONITORING" >"$WORK/rendered.yaml" 2>"$WORK/quiet.log" || { cat "$WORK/quiet.log" >&2; return 1; }
  yq -s -e '(map(.kind + "/" + .metadata.name) | sort) == ["ConfigMap/nexus-dashboards",
      "PrometheusRule/nexus-alerts", "ServiceMonitor/nexus"]
    and (.[] | select(.kind == "ConfigMap") | .metadata.labels.grafana_dashboard == "1"
      and (.data | keys) == ["nexus-executions.json", "nexus-operations.json", "nexus-tenants.json"])' \
    "$WORK/rendered.yaml" >/dev/null
}
if command -v kubectl >/dev/null; then
  check "kubectl kustomize k8s/base/monitoring renders the ServiceMonitor, the rules and the dashboards" \
    rendered_monitoring
else
  echo "ok - kubectl kustomize k8s/base/monitoring # SKIP kubectl is not installed"
fi

# --- a real Prometheus scraping the local stack -----------------------------------------------------------------------
PROM_PORT=""
for candidate in 39190 39191 39192 39193 39194; do
  if ! port_open "$candidate"; then PROM_PORT=$candidate; break; fi
done
[ -n "$PROM_PORT" ] || { echo "not ok - a free port for Prometheus (39190-39194 are taken)"; exit 1; }
PROM="http://127.0.0.1:$PROM_PORT"
{
  echo "global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s}"
  echo "rule_files: ['$RULES']"
  echo "scrape_configs:"
  for service in "${!PORTS[@]}"; do
    # honor_labels and a `service` target label: what the ServiceMonitor gives `up` and the metrics in the cluster.
    echo "  - {job_name: $service, metrics_path: /q/metrics, honor_labels: true,"
    echo "     static_configs: [{targets: ['127.0.0.1:${PORTS[$service]}'], labels: {service: $service}}]}"
  done
} >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
# Stop the Prometheus this suite started (by its pid) and remove the work directory, whatever happens.
trap 'kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
check "Prometheus starts on port $PROM_PORT" eventually 15 curl -sf -o /dev/null "$PROM/-/ready"

# Traffic, so that rates have something to count: a tenant registers a workflow and runs it, a search, a refused call.
tenant="$(new_tenant monitoring)"
read -r key _ <<<"$(new_key "$tenant" developer)"
api "$key" POST /api/v1/workflows '{"name": "monitoring-probe",
  "nodes": [{"id": "only", "type": "transform", "config": {"expression": "1 + 1"}}]}' >/dev/null
traffic() {
  for _ in 1 2 3; do
    api "$key" POST /api/v1/workflows/monitoring-probe/executions '{}' >/dev/null
    api "$key" GET "/api/v1/marketplace/items?q=monitoring" >/dev/null
    api "$key" GET /api/v1/workflows >/dev/null
    http GET "$GATEWAY/api/v1/workflows" >/dev/null # 401: a client error the dashboards show
  done
}
all_targets_up() {
  curl -sf "$PROM/api/v1/targets" | jq -e --argjson n "${#PORTS[@]}" \
    '[.data.activeTargets[] | select(.health == "up")] | length == $n' >/dev/null
}
check "Prometheus scrapes all five services" eventually 20 all_targets_up
# Rates need two samples in their window, and traffic between them: three rounds, a scrape interval or more apart.
traffic; sleep 3; traffic; sleep 3; traffic; sleep 3

# Every expression to check, one per line as "source<TAB>expression". Grafana variables become a value that matches
# everything; label_values(metric, label) variables are checked as `group by (label) (metric)`. Comparisons get
# `bool`, so that an alert that is not firing still returns its series: what is checked is that every name and label
# in it exists, not that the alert fires (the unit tests do that). Each expression is also evaluated as written.
collect() {
  jq -r '.groups[].rules[] | "alert " + .alert + "\t" + (.expr | gsub("\n"; " "))' "$WORK/rules.json"
  for dashboard in "$MONITORING"/dashboards/*.json; do
    jq -r --arg d "$(basename "$dashboard" .json)" '
      (.panels[] | .title as $t | .targets[] | "\($d): \($t) [\(.refId)]\t\(.expr)"),
      (.templating.list[] | select(.type == "query") | "\($d): variable \(.name)\t\(.query.query // .query)")' "$dashboard"
  done
  # Only the manifests that mention `query:` are parsed (yq is slow to start).
  grep -rlZ --include='*.yaml' -E '^[[:space:]-]*query:' "$ROOT/k8s" | sort -z | while IFS= read -r -d '' manifest; do
    yq -r --arg f "${manifest#"$ROOT"/}" '.. | objects | select(has("query")) | .query | strings
      | "\($f) query\t\(gsub("\n"; " "))"' "$manifest" 2>/dev/null
  done
}
cat >"$WORK/expressions.py" <<'PY'
# Reads "source<TAB>expression" lines, asks Prometheus (argv[1]) and prints "ok|fail<TAB>source<TAB>detail" lines.
import json, re, sys, urllib.parse, urllib.request
def substitute(expr):
    expr = re.sub(r'label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)', r'group by (\2) (\1)', expr)
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "30s").replace("$__range", "5m")
    return re.sub(r'\$\{?\w+\}?', '.*', expr)
def with_bool(expr):
    # Outside {...} and strings, a comparison operator not followed by `bool` gets it.
    out, depth, quote, i = [], 0, None, 0
    while i < len(expr):
        c = expr[i]
        if quote:
            out.append(c); quote = None if c == quote and expr[i - 1] != "\\" else quote; i += 1; continue
        if c in "\"'`": quote = c
        elif c == "{": depth += 1
        elif c == "}": depth -= 1
        op = re.match(r'==|!=|>=|<=|>|<', expr[i:]) if depth == 0 and not quote else None
        if op and not expr[i + len(op.group()):].lstrip().startswith("bool"):
            out.append(op.group() + " bool"); i += len(op.group()); continue
        out.append(c); i += 1
    return "".join(out)
def query(expr):
    url = sys.argv[1] + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as e:
        return json.load(e)
for line in sys.stdin:
    source, _, expr = line.rstrip("\n").partition("\t")
    if not expr:
        continue
    expr = substitute(expr)
    as_written, series = query(expr), query(with_bool(expr))
    if as_written.get("status") != "success":
        print(f"fail\t{source}\t{expr}: {as_written.get('error')}")
    elif series.get("status") != "success" or not series["data"]["result"]:
        print(f"fail\t{source}\t{with_bool(expr)}: no series")
    else:
        print(f"ok\t{source}\t")
PY
answered() {
  [ "$1" = ok ] || { echo "  $2" >&2; false; }
}
count=0
while IFS=$'\t' read -r status source detail; do
  count=$((count + 1))
  check "$source: evaluates and returns series" answered "$status" "$detail"
done < <(collect | python3 "$WORK/expressions.py" "$PROM")
check "expressions found: alerts, dashboards and k8s queries ($count)" test "$count" -gt "${#ALERTS[@]}"
# Prometheus itself evaluated the rule groups (every 2 s): none may report an error.
rules_healthy() {
  curl -sf "$PROM/api/v1/rules" | jq -e '[.data.groups[].rules[]] as $r | ($r | length) > 0
    and ($r | all(.health == "ok"))' >/dev/null
}
check "Prometheus evaluates every rule of nexus-alerts without error" eventually 10 rules_healthy
summary
