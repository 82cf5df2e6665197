// The fuzz suite's engine (issue 17): hostile and careless input against every operation the services publish at
// /q/openapi, and against /mcp, both through the gateway (a fuzz tenant's API key) and straight to each service (a
// signed X-Nexus-Identity, as benchmarks/lib/common.sh signs one). No dependencies: compiled with javac and run on the JDK,
// Java 17+, normally from scripts/suites/fuzz.sh.
//
//   javac -d OUT scripts/fuzz/*.java && java -cp OUT Fuzz [GATEWAY_URL]
//
// Environment:
//   NEXUS_ADMIN_KEY        the platform admin key (required: creates and deletes the fuzz tenant, fuzzes admin routes)
//   NEXUS_INTERNAL_KEY     the key that signs X-Nexus-Identity (required for the direct targets)
//   FUZZ_SEED              the seed of every choice (default: the clock; always printed, pass it back to reproduce)
//   FUZZ_REQUESTS          fuzz requests to send, spread evenly over input classes and targets (default 3000)
//   FUZZ_CONCURRENCY       requests in flight (default 4)
//   FUZZ_PROBE_EVERY       a responsiveness probe of every target after this many fuzz requests (default 100)
//   FUZZ_PROBE_LATENCY_MS  the latency a probe must stay under (default 2000)
//   FUZZ_TIMEOUT_MS        how long one request may take before it counts as unanswered (default 15000)
//   FUZZ_SERVICES          name=host:port,... of the direct targets (default: the four services on 8081-8084)
//   FUZZ_LOG_DIR           the services' logs (default .nexus/logs): exceptions logged during the run are listed
//   FUZZ_REPORT            where every violation group is written with its reproducer (default /tmp/nexus-fuzz-SEED.txt)
//
// Every request goes over a raw socket (one connection per request, Connection: close): java.net.http cannot send a
// malformed percent-escape, raw non-UTF-8 bytes, a control character in a header or broken chunking, and one
// transport for everything keeps the reproducers exact.
//
// Oracles, each printed as "ok - ..." / "not ok - ..." (the suites' format), exit status 1 when one fails:
//   1. no 5xx and no request left unanswered;
//   2. every 4xx is application/problem+json with a parseable body whose `status` is the HTTP status (on /mcp: a
//      JSON-RPC error body, or problem+json from the gateway);
//   3. input that is invalid by the API's rules (docs/api.md §3) is refused (4xx), a body over 1 MiB with 413;
//   4. nothing stored: the fuzz tenant's workflows, executions, sessions, API keys, marketplace item, secrets and the
//      platform's tenants are the same before and after;
//   5. every target stays responsive: every FUZZ_PROBE_EVERY requests, its readiness and one valid request answer 200
//      within FUZZ_PROBE_LATENCY_MS.
// Failures are grouped by (oracle, status, target, operation, input class), each with a reproducer.

public class Fuzz {
    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.from(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fuzz: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new FuzzRun(config).execute());
    }
}
