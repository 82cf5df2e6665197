// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

// ------------------------------------------------------------------------------------------------------ configuration

record Config(URI gateway, String adminKey, String internalKey, Map<String, URI> services, long seed, int requests,
              int concurrency, int probeEvery, long probeLatencyMs, int timeoutMs, Path logDir, Path report) {

    static Config from(String[] args) {
        String gateway = args.length > 0 ? args[0] : env("NEXUS_GATEWAY_URL", "http://127.0.0.1:8000");
        String admin = env("NEXUS_ADMIN_KEY", "");
        String internal = env("NEXUS_INTERNAL_KEY", "");
        if (admin.isEmpty()) throw new IllegalArgumentException("NEXUS_ADMIN_KEY is required");
        if (internal.isEmpty()) throw new IllegalArgumentException("NEXUS_INTERNAL_KEY is required");
        Map<String, URI> services = new LinkedHashMap<>();
        for (String entry : env("FUZZ_SERVICES", "tenant-service=127.0.0.1:8081,workflow-service=127.0.0.1:8082,"
                + "session-service=127.0.0.1:8083,marketplace-service=127.0.0.1:8084").split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("FUZZ_SERVICES: bad entry " + entry);
            services.put(kv[0], URI.create("http://" + kv[1]));
        }
        String seed = env("FUZZ_SEED", "");
        long seedValue = seed.isEmpty() ? System.currentTimeMillis() % 1_000_000 : Long.parseLong(seed);
        return new Config(URI.create(gateway.replaceAll("/+$", "")), admin, internal, services,
                seedValue,
                Integer.parseInt(env("FUZZ_REQUESTS", "3000")), Integer.parseInt(env("FUZZ_CONCURRENCY", "4")),
                Integer.parseInt(env("FUZZ_PROBE_EVERY", "100")), Long.parseLong(env("FUZZ_PROBE_LATENCY_MS", "2000")),
                Integer.parseInt(env("FUZZ_TIMEOUT_MS", "15000")), Path.of(env("FUZZ_LOG_DIR", ".nexus/logs")),
                Path.of(env("FUZZ_REPORT", System.getProperty("java.io.tmpdir") + "/nexus-fuzz-" + seedValue + ".txt")));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
