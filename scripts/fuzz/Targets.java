// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

// ------------------------------------------------------------------------------------------------------------ targets

/** Where a case is sent: the gateway (API keys) or one service directly (signed identities). */
final class Target {
    final String name;
    final URI base;
    /** null for the gateway, which routes every service's operations. */
    final String service;
    private final Fixtures fx;
    private final String adminKey;
    private final IdentitySigner signer;
    volatile String mcpSession = "none";

    Target(String name, URI base, String service, Fixtures fx, String adminKey, IdentitySigner signer) {
        this.name = name;
        this.base = base;
        this.service = service;
        this.fx = fx;
        this.adminKey = adminKey;
        this.signer = signer;
    }

    boolean gateway() { return service == null; }

    boolean accepts(Spec s) { return gateway() || s.op().service().equals(service); }

    List<String[]> credentials(Cred cred) {
        if (cred == Cred.NONE) return List.of();
        if (gateway()) return Ctx.headers("Authorization", "Bearer " + (cred == Cred.TENANT ? fx.apiKey() : adminKey));
        String token = cred == Cred.TENANT ? signer.sign("admin", fx.tenantId(), fx.keyId(), service)
                : signer.sign("platform-admin", null, null, service);
        return Ctx.headers("X-Nexus-Identity", token);
    }

    RawRequest prepare(Spec s) {
        List<String[]> headers = new ArrayList<>();
        for (String[] h : s.request().headers()) {
            headers.add(Mcp.SESSION.equals(h[1]) ? new String[] {h[0], mcpSession} : h);
        }
        RawRequest r = s.request();
        return new RawRequest(r.method(), r.target(), headers, r.body(), r.framing(), r.chunkSize(), r.rawTail())
                .withHeaders(credentials(s.cred()));
    }
}
