#!/usr/bin/env bash
# What the gateway costs (issue: tenants and the gateway). On one machine, in one run:
#   1. maximum requests/s and p50/p99 of an authenticated GET /api/v1/tenant
#        - through the gateway (key lookup, rate limit in Redis, identity signing, routing)
#        - straight to tenant-service (with a pre-signed identity)
#        - through nginx (Debian package) proxying tenant-service with limit_req
#   2. p50/p99 of the same three at a fixed 2,000 requests/s, open loop: requests go out evenly spaced whatever the
#      answers do, and each latency counts from when the request was due (as wrk2 does; wrk2 is not packaged). A
#      closed-loop tool (hey -q, wrk) stops sending while the server stalls and so never sees most of the requests
#      a stall would have delayed (coordinated omission), and hey's workers all tick together, sending bursts.
#   3. during each maximum-throughput run, the CPU time per request of the gateway, Redis, tenant-service, PostgreSQL
#      and nginx (utime + stime from /proc): what each hop costs, which on a shared 2-core machine is what bounds the
#      throughput ratios.
# Targets: gateway/direct throughput ratio >= nginx/direct ratio; gateway p99 - direct p99 <= 3 ms at 2,000 req/s.
#
#   benchmarks/gateway-overhead.sh            (starts the stack with scripts/nexus-local up if needed)
# Environment: DURATION (seconds per max-throughput run, default 15), WARMUP (seconds before each, default 15),
# RATE (default 2000), CONNECTIONS (default 32; also the fixed-rate tool's connections), FIXED_DURATION (seconds per
# fixed-rate run, default 20), GATEWAY_URL (default http://127.0.0.1:8000: another build of the gateway, started by hand
# against the same stack, for before/after comparisons under the same conditions).
# The machine's load average is printed with the figures: on a shared 2-core machine, compare runs at similar load.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15}"
RATE="${RATE:-2000}"
CONNECTIONS="${CONNECTIONS:-32}"
GATEWAY="${GATEWAY_URL:-http://127.0.0.1:8000}"
DIRECT=http://127.0.0.1:8081
NGINX_PORT=8099
NGINX=http://127.0.0.1:$NGINX_PORT
WORK="$(mktemp -d)"
nginx_pid=""
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

source "$ROOT/benchmarks/lib/common.sh"
ensure_command wrk wrk
ensure_command nginx nginx-light
ensure_command jq jq
ensure_command openssl openssl
ensure_command java openjdk-17-jdk-headless

"$ROOT/scripts/nexus-local" up --no-build >/dev/null 2>&1 || "$ROOT/scripts/nexus-local" up >/dev/null
STATE="$ROOT/.nexus"
ADMIN_KEY="$(cat "$STATE/admin-key")"
INTERNAL_KEY="$(grep '^NEXUS_INTERNAL_KEY=' "$STATE/state/tenant-service.env" | cut -d= -f2-)"

# A tenant whose limit is never reached, so that every request pays for the rate-limit step but none is refused.
tenant="$(curl -s -X POST "$GATEWAY/api/v1/tenants" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"name\": \"bench-$RANDOM$RANDOM\", \"quotas\": {\"apiCallsPerMinute\": 1000000000}}" | jq -r .id)"
read -r key key_id <<<"$(curl -s -X POST "$GATEWAY/api/v1/tenants/$tenant/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"name": "bench", "role": "developer"}' | jq -r '.key + " " + .id')"

# The identity the gateway would forward to tenant-service, for the direct and nginx runs. An identity lives 60 s at
# most (docs/api.md §2.9): fresh_identity signs a new one before each of those runs, and writes it into nginx's
# configuration (reloaded).
fresh_identity() {
  identity="$(signed_identity "$tenant" "$key_id" "$INTERNAL_KEY" tenant-service)"
  write_nginx_conf
  if [ -n "${nginx_pid:-}" ]; then
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s reload && sleep 1
  fi
}

mkdir -p "$WORK/nginx/logs"
write_nginx_conf() {
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream tenant_service { server 127.0.0.1:8081; keepalive 128; }
  limit_req_zone \$http_authorization zone=per_key:10m rate=1000000r/s;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      limit_req zone=per_key burst=1000000 nodelay;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Nexus-Identity "$identity";
      proxy_pass http://tenant_service;
    }
  }
}
NGINX
}
fresh_identity
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 1

check_ok() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$@")
  [ "$status" = 200 ] || { echo "error: $* answered $status" >&2; exit 1; }
}
check_ok -H "Authorization: Bearer $key" "$GATEWAY/api/v1/tenant"
check_ok -H "X-Nexus-Identity: $identity" "$DIRECT/api/v1/tenant"
check_ok -H "Authorization: Bearer $key" "$NGINX/api/v1/tenant"

to_ms() { # wrk latency like 1.23ms / 456.00us / 1.20s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}

# Where the CPU goes, per process group, during each measured maximum-throughput run (utime + stime from /proc).
GATEWAY_PID="$(port_holder "${GATEWAY##*:}")"
TENANT_PID="$(port_holder 8081)"
REDIS_PID="$(port_holder 6379)"
# cpu_snapshot: "gateway redis tenant-service nginx" ticks, now (PostgreSQL's backends come and go: cpu_by_pid)
# shellcheck disable=SC2046,SC2086 # pid lists
cpu_snapshot() {
  echo "$(cpu_ticks $GATEWAY_PID) $(cpu_ticks $REDIS_PID) $(cpu_ticks $TENANT_PID)" \
    "$(cpu_ticks $(pgrep -P "$nginx_pid" | paste -sd' ' -))"
}

# max NAME URL HEADER: prints "rps p50 p99 non-2xx" and then the CPU microseconds per request of the gateway, Redis,
# tenant-service, PostgreSQL and nginx during the measured run
max_run() {
  local url=$2 header=$3 out before after pg_before pg_after requests
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-15}s" -H "$header" "$url" >/dev/null 2>&1 # warm-up (JIT)
  # shellcheck disable=SC2046 # pid list
  before="$(cpu_snapshot)"; pg_before="$(cpu_by_pid $(pg_pids))"
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "$url")
  # shellcheck disable=SC2046 # pid list
  after="$(cpu_snapshot)"; pg_after="$(cpu_by_pid $(pg_pids))"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")" \
    "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") $(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)" \
    "$(awk -v b="$before" -v a="$after" -v pg="$(cpu_delta "$pg_before" "$pg_after")" -v n="$requests" \
      -v hz="$CLK_TCK" 'BEGIN { split(b, x, " "); split(a, y, " "); f = 1e6 / hz / n
        printf "%.0f %.0f %.0f %.0f %.0f", (y[1] - x[1]) * f, (y[2] - x[2]) * f, (y[3] - x[3]) * f, pg * f,
          (y[4] - x[4]) * f }')"
}

# The fixed-rate load: open loop, evenly spaced, latency from each request's due time (see the top of this file).
cat >"$WORK/OpenLoop.java" <<'JAVA'
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Request i is due at start + i / rate and goes out on the next free one of CONNECTIONS keep-alive connections (a
 * thread each); its latency counts from its due time, so waiting for a connection counts too.
 * Args: URL RATE WARMUP_S DURATION_S CONNECTIONS HEADER-NAME HEADER-VALUE
 * Prints: achieved-rate p50-ms p99-ms p99.9-ms max-ms failed (non-2xx, errors, unanswered)
 */
public class OpenLoop {

    static final long NONE = Long.MIN_VALUE;

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int duration = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\n" + args[5] + ": " + args[6] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int total = (int) (rate * (warmup + duration));
        int measuredFrom = (int) (rate * warmup);
        long[] latencies = new long[total];
        Arrays.fill(latencies, NONE);
        AtomicInteger failed = new AtomicInteger();
        BlockingQueue<long[]> due = new ArrayBlockingQueue<>(total + connections);
        Thread[] workers = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            workers[c] = new Thread(() -> work(uri, request, due, latencies, measuredFrom, failed));
            workers[c].setDaemon(true);
            workers[c].start();
        }
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long at = start + i * interval;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            due.put(new long[] {i, at});
        }
        for (int c = 0; c < connections; c++) {
            due.put(new long[] {-1, 0});
        }
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        long measuredStart = start + measuredFrom * interval;
        long[] measured = Arrays.copyOfRange(latencies, measuredFrom, total);
        long lastDone = 0;
        int unanswered = 0;
        for (int i = 0; i < measured.length; i++) {
            if (measured[i] == NONE) {
                measured[i] = Long.MAX_VALUE;
                unanswered++;
            } else {
                lastDone = Math.max(lastDone, start + (measuredFrom + i) * interval + measured[i]);
            }
        }
        Arrays.sort(measured);
        double elapsed = Math.max(duration, (lastDone - measuredStart) / 1e9);
        System.out.printf("%.1f %.2f %.2f %.2f %.2f %d%n", (measured.length - unanswered) / elapsed,
                ms(measured, 0.50), ms(measured, 0.99), ms(measured, 0.999), ms(measured, 1.0),
                failed.get() + unanswered);
    }

    static double ms(long[] sorted, double quantile) {
        long v = sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))];
        return v == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : v / 1e6;
    }

    static void work(URI uri, byte[] request, BlockingQueue<long[]> due, long[] latencies, int measuredFrom,
            AtomicInteger failed) {
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (true) {
            long[] next;
            try {
                next = due.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next[0] < 0) {
                return;
            }
            int status;
            try {
                if (socket == null) {
                    socket = new Socket(uri.getHost(), uri.getPort());
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream(), 16384);
                    out = socket.getOutputStream();
                }
                out.write(request);
                out.flush();
                status = readResponse(in);
                if (status < 0) { // the server ends keep-alive after this response (nginx: keepalive_requests)
                    status = -status;
                    socket.close();
                    socket = null;
                }
            } catch (IOException | RuntimeException e) {
                status = -1;
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // already broken
                }
                socket = null;
            }
            latencies[(int) next[0]] = System.nanoTime() - next[1];
            if (status / 100 != 2 && next[0] >= measuredFrom) {
                failed.incrementAndGet();
            }
        }
    }

    /** Reads one response (Content-Length or chunked body): its status, negative when the server closes after it. */
    static int readResponse(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        boolean close = false;
        String header;
        while (!(header = line(in)).isEmpty()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (close) {
            status = -status;
        }
        if (!chunked) {
            skip(in, length);
            return status;
        }
        long size;
        while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
            skip(in, size);
            line(in);
        }
        while (!line(in).isEmpty()) {
            continue; // trailers
        }
        return status;
    }

    static void skip(InputStream in, long bytes) throws IOException {
        while (bytes > 0) {
            long skipped = in.skip(bytes);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                skipped = 1;
            }
            bytes -= skipped;
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
JAVA

# fixed NAME URL HEADER: prints "rps p50 p99 p99.9 max failed" at $RATE requests/s (5 s of warm-up at the rate first)
fixed_run() {
  local url=$2 header=$3
  java -Xmx256m "$WORK/OpenLoop.java" "$url" "$RATE" 5 "${FIXED_DURATION:-20}" "$CONNECTIONS" "${header%%:*}" "${header#*: }"
}

load_start=$(cut -d' ' -f1 /proc/loadavg)
# The stack may have just (re)started: one unmeasured pass through the gateway JIT-compiles the gateway and
# tenant-service both, so that the first measured row does not pay for the services' warm-up.
echo "Warming up the gateway and tenant-service (${WARMUP:-15}s)..."
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-15}s" -H "Authorization: Bearer $key" "$GATEWAY/api/v1/tenant" >/dev/null 2>&1
echo "Measuring maximum throughput (${DURATION}s each, $CONNECTIONS connections)..."
read -r gw_rps gw_p50 gw_p99 gw_errors gw_cgw gw_credis gw_cts gw_cpg gw_cngx <<<"$(max_run gateway "$GATEWAY/api/v1/tenant" "Authorization: Bearer $key")"
fresh_identity
read -r di_rps di_p50 di_p99 di_errors di_cgw di_credis di_cts di_cpg di_cngx <<<"$(max_run direct "$DIRECT/api/v1/tenant" "X-Nexus-Identity: $identity")"
fresh_identity
read -r ng_rps ng_p50 ng_p99 ng_errors ng_cgw ng_credis ng_cts ng_cpg ng_cngx <<<"$(max_run nginx "$NGINX/api/v1/tenant" "Authorization: Bearer $key")"
load_max=$(cut -d' ' -f1 /proc/loadavg)
echo "Measuring latency at $RATE requests/s, open loop (${FIXED_DURATION:-20} s each)..."
fresh_identity
read -r di_frps di_fp50 di_fp99 di_fp999 di_fmax di_ferr <<<"$(fixed_run direct "$DIRECT/api/v1/tenant" "X-Nexus-Identity: $identity")"
read -r gw_frps gw_fp50 gw_fp99 gw_fp999 gw_fmax gw_ferr <<<"$(fixed_run gateway "$GATEWAY/api/v1/tenant" "Authorization: Bearer $key")"
fresh_identity
read -r ng_frps ng_fp50 ng_fp99 ng_fp999 ng_fmax ng_ferr <<<"$(fixed_run nginx "$NGINX/api/v1/tenant" "Authorization: Bearer $key")"
load_fixed=$(cut -d' ' -f1 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
echo
printf '%-30s %12s %10s %10s %12s\n' "GET /api/v1/tenant" "max req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-30s %12s %10s %10s %12s\n' "direct to tenant-service" "$di_rps" "$di_p50" "$di_p99" "$di_errors"
printf '%-30s %12s %10s %10s %12s\n' "through the Nexus gateway" "$gw_rps" "$gw_p50" "$gw_p99" "$gw_errors"
printf '%-30s %12s %10s %10s %12s\n' "through nginx + limit_req" "$ng_rps" "$ng_p50" "$ng_p99" "$ng_errors"
echo
printf '%-30s %12s %10s %10s %10s %10s %8s\n' "at $RATE req/s (open loop)" "achieved" "p50 ms" "p99 ms" "p99.9 ms" "max ms" "failed"
printf '%-30s %12s %10s %10s %10s %10s %8s\n' "direct to tenant-service" "$di_frps" "$di_fp50" "$di_fp99" "$di_fp999" "$di_fmax" "$di_ferr"
printf '%-30s %12s %10s %10s %10s %10s %8s\n' "through the Nexus gateway" "$gw_frps" "$gw_fp50" "$gw_fp99" "$gw_fp999" "$gw_fmax" "$gw_ferr"
printf '%-30s %12s %10s %10s %10s %10s %8s\n' "through nginx + limit_req" "$ng_frps" "$ng_fp50" "$ng_fp99" "$ng_fp999" "$ng_fmax" "$ng_ferr"
echo
echo "CPU per request during the maximum-throughput runs, microseconds (utime + stime; PostgreSQL: the whole cluster)"
printf '%-30s %9s %9s %15s %11s %9s\n' "" gateway redis tenant-service postgresql nginx
printf '%-30s %9s %9s %15s %11s %9s\n' "direct to tenant-service" "$di_cgw" "$di_credis" "$di_cts" "$di_cpg" "$di_cngx"
printf '%-30s %9s %9s %15s %11s %9s\n' "through the Nexus gateway" "$gw_cgw" "$gw_credis" "$gw_cts" "$gw_cpg" "$gw_cngx"
printf '%-30s %9s %9s %15s %11s %9s\n' "through nginx + limit_req" "$ng_cgw" "$ng_credis" "$ng_cts" "$ng_cpg" "$ng_cngx"
echo
echo "load average (2 cores): $load_start at the start, $load_max after the maximum-throughput runs, $load_fixed at the end"

echo "throughput ratio to direct: gateway $(ratio "$gw_rps" "$di_rps"), nginx $(ratio "$ng_rps" "$di_rps") (target: gateway >= nginx)"
echo "p99 added at $RATE req/s: gateway $(added "$gw_fp99" "$di_fp99") ms, nginx $(added "$ng_fp99" "$di_fp99") ms (target: gateway <= 3 ms)"
