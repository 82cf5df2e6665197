// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

// -------------------------------------------------------------------------------------------------------------- run

/** Set-up, the seeded case list, the run with its probes, the after-checks and the report. */
final class FuzzRun {
    private final Config config;
    private final RawHttp http;
    private final Api api;
    private final Map<String, AtomicInteger> perClass = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perTarget = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perStatus = new ConcurrentHashMap<>();
    private final Map<String, List<Violation>> violations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> probeMax = new ConcurrentHashMap<>();
    private final List<String> createdTenants = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();

    FuzzRun(Config config) {
        this.config = config;
        this.http = new RawHttp(config.timeoutMs());
        this.api = new Api(http, config.gateway());
    }

    int execute() throws Exception {
        long started = System.nanoTime();
        System.out.printf("fuzz: seed %d (FUZZ_SEED=%d reproduces it), budget %d requests, %d in flight%n",
                config.seed(), config.seed(), config.requests(), config.concurrency());
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, URI> s : config.services().entrySet()) ops.addAll(OpenApi.load(http, s.getKey(), s.getValue()));
        Fixtures fx;
        try {
            fx = Setup.create(api, config.adminKey(), config.seed());
        } catch (RuntimeException e) {
            System.out.println("not ok - fuzz set-up: " + e.getMessage());
            return 1;
        }
        System.out.printf("fuzz: %d operations from /q/openapi of %s; fuzz tenant %s%n", ops.size(),
                String.join(", ", config.services().keySet()), fx.tenantId());
        try {
            return run(ops, fx, started);
        } finally {
            for (String t : createdTenants) api.call("DELETE", "/api/v1/tenants/" + t, config.adminKey(), null);
            api.call("DELETE", "/api/v1/tenants/" + fx.tenantId(), config.adminKey(), null);
        }
    }

    private int run(List<Operation> ops, Fixtures fx, long started) throws Exception {
        IdentitySigner signer = new IdentitySigner(config.internalKey());
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("gateway", config.gateway(), null, fx, config.adminKey(), signer));
        for (Map.Entry<String, URI> s : config.services().entrySet()) {
            targets.add(new Target(s.getKey(), s.getValue(), s.getKey(), fx, config.adminKey(), signer));
        }
        Map<String, Map<String, Object>> tools = initializeMcp(targets, fx);
        Map<String, String> before = Snapshot.take(api, fx, config.adminKey());
        LogWatch logs = new LogWatch(config.logDir());

        List<Case> cases = plan(ops, fx, targets, tools);
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
        for (Case c : cases) pool.submit(() -> runOne(c, targets, fx));
        pool.shutdown();
        while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            System.out.printf("fuzz: %d/%d sent%n", sent.get(), cases.size());
        }
        probe(targets, fx);
        Thread.sleep(1000); // let the last answers' log lines reach the files

        Map<String, String> after = Snapshot.take(api, fx, config.adminKey());
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                record(new Violation("nothing-stored", 0, "platform", key, "-", "before: " + cut(before.get(key)),
                        "after: " + cut(after.get(key))));
            }
        }
        return report(cases.size(), logs.since(), (System.nanoTime() - started) / 1_000_000_000.0);
    }

    private static String cut(String s) { return s.length() > 300 ? s.substring(0, 300) + "..." : s; }

    /** MCP sessions for the gateway and for workflow-service directly, and the tools the fuzz tenant has. */
    private Map<String, Map<String, Object>> initializeMcp(List<Target> targets, Fixtures fx) {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";
        Map<String, Map<String, Object>> tools = new TreeMap<>();
        for (Target t : targets) {
            if (!t.gateway() && !"workflow-service".equals(t.service)) continue;
            List<String[]> h = new ArrayList<>(Mcp.headers());
            h.removeIf(x -> x[0].equals("Mcp-Session-Id"));
            RawResponse r = http.send(t.base, RawRequest.of("POST", "/mcp", h, Wire.encode(init)).withHeaders(t.credentials(Cred.TENANT)));
            if (r.status() != 200 || r.header("Mcp-Session-Id") == null) {
                System.out.println("fuzz: MCP initialize at " + t.name + " answered " + r.status() + "; MCP cases there will fail");
                continue;
            }
            t.mcpSession = r.header("Mcp-Session-Id");
            h.add(new String[] {"Mcp-Session-Id", t.mcpSession});
            http.send(t.base, RawRequest.of("POST", "/mcp", h, Wire.encode("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                    .withHeaders(t.credentials(Cred.TENANT)));
            if (t.gateway()) {
                RawResponse list = http.send(t.base, RawRequest.of("POST", "/mcp", h,
                        Wire.encode("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")).withHeaders(t.credentials(Cred.TENANT)));
                Map<String, Object> result = Json.obj(Json.obj(Oracle.mcpMessage(list)).get("result"));
                for (Object tool : Json.arr(result.get("tools"))) {
                    tools.put((String) Json.obj(tool).get("name"), Json.obj(Json.obj(tool).get("inputSchema")));
                }
            }
        }
        System.out.println("fuzz: MCP tools " + tools.keySet());
        return tools;
    }

    /** Every generator over every operation, bound to every target that serves it; then a seeded sample of the
     *  budget that takes from each input class in turn, so that a small budget still covers every class. */
    private List<Case> plan(List<Operation> ops, Fixtures fx, List<Target> targets, Map<String, Map<String, Object>> tools) {
        Random random = new Random(config.seed());
        Ctx ctx = new Ctx(fx, random);
        HttpSyntax.remember(ops);
        AuthHeaders.remember(ops);
        List<Generator> generators = List.of(new MalformedJson(), new WrongTypes(), new OutOfRange(), new HugeInput(),
                new DeepNesting(), new NulAndControl(), new InvalidUtf8(), new TrailingGarbage(), new DuplicateKeys(),
                new UnknownFields(), new ContentTypes(), new Chunked(), new PathSegments(), new QueryParams(),
                new Headers(), new Methods(ops), new HttpSyntax(), new AuthHeaders());
        List<Spec> specs = new ArrayList<>();
        for (Operation op : ops) for (Generator g : generators) g.generate(op, ctx, specs);
        new Mcp(tools).generate(Mcp.OP, ctx, specs);
        Map<String, List<Case>> byClass = new TreeMap<>();
        for (Spec s : specs) {
            for (Target t : targets) if (t.accepts(s)) byClass.computeIfAbsent(s.cls(), k -> new ArrayList<>()).add(new Case(s, t));
        }
        int total = byClass.values().stream().mapToInt(List::size).sum();
        List<List<Case>> queues = new ArrayList<>();
        for (List<Case> l : byClass.values()) {
            Collections.shuffle(l, random);
            queues.add(l);
        }
        List<Case> plan = new ArrayList<>();
        int[] next = new int[queues.size()];
        while (plan.size() < Math.min(config.requests(), total)) {
            for (int q = 0; q < queues.size() && plan.size() < config.requests(); q++) {
                if (next[q] < queues.get(q).size()) plan.add(queues.get(q).get(next[q]++));
            }
        }
        Collections.shuffle(plan, random);
        System.out.printf("fuzz: %d cases generated in %d classes (%s); sending %d%n", total, byClass.size(),
                byClass.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")),
                plan.size());
        return plan;
    }

    private void runOne(Case c, List<Target> targets, Fixtures fx) {
        try {
            RawRequest request = c.target().prepare(c.spec());
            RawResponse r = http.send(c.target().base, request);
            perClass.computeIfAbsent(c.spec().cls(), k -> new AtomicInteger()).incrementAndGet();
            perTarget.computeIfAbsent(c.target().name, k -> new AtomicInteger()).incrementAndGet();
            perStatus.computeIfAbsent(r.status() < 0 ? "none" : r.status() / 100 + "xx", k -> new AtomicInteger()).incrementAndGet();
            for (Violation v : Oracle.judge(c, r)) record(v);
            if (c.spec().op().label().equals("POST /api/v1/tenants") && r.status() / 100 == 2) {
                Object id = Json.obj(Json.tryParse(r.text())).get("id");
                if (id instanceof String s) createdTenants.add(s);
            }
            if (sent.incrementAndGet() % config.probeEvery() == 0) probe(targets, fx);
        } catch (RuntimeException e) {
            record(new Violation("fuzzer", 0, c.target().name, c.spec().op().label(), c.spec().cls(),
                    c.spec().request().reproducer(), "fuzzer error: " + e));
        }
    }

    /** Oracle 5: each target's readiness and one valid request, each within the latency bound. */
    private void probe(List<Target> targets, Fixtures fx) {
        probes.incrementAndGet();
        for (Target t : targets) {
            String ready = t.gateway() ? "/health" : "/q/health/ready";
            String valid = switch (t.service == null ? "gateway" : t.service) {
                case "tenant-service" -> "/api/v1/tenant";
                case "session-service" -> "/api/v1/sessions?limit=1";
                case "marketplace-service" -> "/api/v1/marketplace/items?limit=1";
                default -> "/api/v1/workflows?limit=1";
            };
            for (RawRequest r : List.of(RawRequest.of("GET", ready, List.of(), null),
                    RawRequest.of("GET", valid, List.of(), null).withHeaders(t.credentials(Cred.TENANT)))) {
                RawResponse a = http.send(t.base, r);
                probeMax.computeIfAbsent(t.name, k -> new AtomicLong()).accumulateAndGet(a.millis(), Math::max);
                if (a.status() != 200 || a.millis() > config.probeLatencyMs()) {
                    record(new Violation("responsive", a.status(), t.name, "GET " + r.target().split("\\?")[0], "probe",
                            r.reproducer(), a.millis() + " ms after " + sent.get() + " fuzz requests; "
                            + (a.failure() != null ? a.failure() : Wire.show(a.body(), 160))));
                }
            }
        }
    }

    private void record(Violation v) {
        violations.computeIfAbsent(v.group(), k -> Collections.synchronizedList(new ArrayList<>())).add(v);
    }

    private int report(int planned, Map<String, Map<String, Integer>> logs, double seconds) {
        System.out.println();
        System.out.printf("fuzz: %d fuzz requests (+ %d probe rounds) in %.0f s, seed %d%n", sent.get(), probes.get(), seconds, config.seed());
        System.out.println("  per class:  " + counts(perClass));
        System.out.println("  per target: " + counts(perTarget));
        System.out.println("  answers:    " + counts(perStatus));
        System.out.println("  slowest probe per target (ms): " + probeMax.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Map<String, Integer> byOracle = new TreeMap<>();
        violations.forEach((group, list) -> byOracle.merge(list.get(0).oracle(), list.size(), Integer::sum));
        if (!violations.isEmpty()) printViolations();
        if (!logs.isEmpty()) {
            System.out.println("\nfuzz: exceptions the services logged during the run (class: message start, count):");
            logs.forEach((log, counts) -> {
                System.out.println("  " + log);
                counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                        .forEach(e -> System.out.printf("      %5d  %s%n", e.getValue(), e.getKey()));
            });
        }
        System.out.println();
        String[][] oracles = {
                {"no-5xx", "no 5xx answer"}, {"unanswered", "every request answered within " + config.timeoutMs() + " ms"},
                {"problem+json", "every 4xx is application/problem+json with its status"},
                {"mcp-error-shape", "every 4xx at /mcp is a JSON-RPC error or problem+json"},
                {"refused", "invalid input refused with a 4xx (docs/api.md §3)"},
                {"413", "bodies over 1 MiB answered 413, chunked or not"},
                {"nothing-stored", "nothing stored: the fuzz tenant's and the platform's data unchanged"},
                {"responsive", "every target ready and answering a valid request within " + config.probeLatencyMs() + " ms, every "
                        + config.probeEvery() + " requests"},
                {"fuzzer", "the fuzzer itself ran without errors"}};
        int failed = 0;
        for (String[] o : oracles) {
            int n = byOracle.getOrDefault(o[0], 0);
            System.out.println((n == 0 ? "ok - " : "not ok - ") + "fuzz: " + o[1] + " (" + sent.get() + " requests"
                    + (n == 0 ? "" : "; " + n + " violations") + ")");
            if (n > 0) failed++;
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Two views: on stdout the distinct failure classes (oracle, status, input class, gateway or direct) with the
     * operations they hit and one reproducer each; in FUZZ_REPORT every (target, operation) group with its reproducer.
     */
    private void printViolations() {
        List<Violation> all = violations.values().stream().flatMap(List::stream).toList();
        Map<String, List<Violation>> classes = new TreeMap<>();
        for (Violation v : all) {
            if (Oracle.noted(v)) continue;
            String where = v.target().equals("platform") ? "platform: " + v.operation()
                    : v.target().equals("gateway") ? "gateway" : "direct";
            classes.computeIfAbsent(v.oracle() + " | " + v.status() + " | " + v.cls() + " | " + where, k -> new ArrayList<>()).add(v);
        }
        System.out.printf("%nfuzz: %d violations, %d distinct (oracle | status | input class | via), each with one reproducer:%n",
                all.stream().filter(v -> !Oracle.noted(v)).count(), classes.size());
        classes.forEach((key, list) -> {
            Violation v = list.get(0);
            String ops = list.stream().map(x -> x.operation() + (x.target().equals("gateway") || x.target().equals("platform")
                    ? "" : " @" + x.target())).distinct().sorted().limit(8).collect(Collectors.joining("; "));
            long distinctOps = list.stream().map(Violation::operation).distinct().count();
            System.out.printf("  [%s] x%d on %s%s%n      request: %s%n      answer:  %s%n", key, list.size(), ops,
                    distinctOps > 8 ? " and " + (distinctOps - 8) + " more" : "", cut(v.reproducer(), 400), cut(v.answer(), 300));
        });
        long closed = all.stream().filter(v -> v.oracle().equals("closed")).count();
        if (closed > 0) {
            System.out.printf("  (noted, not failed: %d requests with broken framing were answered by closing the connection, e.g. %s)%n",
                    closed, cut(all.stream().filter(v -> v.oracle().equals("closed")).findFirst().get().reproducer(), 200));
        }
        Map<Integer, Long> codec = all.stream().filter(v -> v.oracle().equals("codec"))
                .collect(Collectors.groupingBy(Violation::status, TreeMap::new, Collectors.counting()));
        if (!codec.isEmpty()) {
            System.out.printf("  (noted, not failed: the HTTP codec refused %s requests (status=count) with an empty body before"
                    + " any Nexus code ran, e.g. %s)%n", codec, cut(all.stream().filter(v -> v.oracle().equals("codec"))
                    .findFirst().get().reproducer(), 200));
        }
        try {
            StringBuilder b = new StringBuilder("fuzz seed " + config.seed() + ": every violation group (oracle | status | target | operation | class)\n");
            violations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                Violation v = e.getValue().get(0);
                b.append(String.format("[%s] x%d%n    request: %s%n    answer:  %s%n", e.getKey(), e.getValue().size(),
                        cut(v.reproducer(), 2000), v.answer()));
            });
            Files.writeString(config.report(), b.toString());
            System.out.println("  every group with its reproducer: " + config.report());
        } catch (IOException e) {
            System.out.println("  could not write " + config.report() + ": " + e.getMessage());
        }
    }

    private static String cut(String s, int max) { return s.length() > max ? s.substring(0, max) + "..." : s; }

    private static String counts(Map<String, AtomicInteger> m) {
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
