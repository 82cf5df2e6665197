package io.nexus.workflow.engine.http;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Helpers shared by the client tests. */
final class Calls {

    static final Duration WAIT = Duration.ofSeconds(40);

    /**
     * Generous, because these machines are shared and sometimes loaded far beyond their two cores; tests about the
     * deadline set their own.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private Calls() {
    }

    static HttpCallSpec get(String url) {
        return new HttpCallSpec("GET", url, Map.of(), null, CALL_TIMEOUT, "exec-1:node-a");
    }

    static HttpCallSpec spec(String method, String url, Map<String, String> headers, JsonNode body) {
        return new HttpCallSpec(method, url, headers, body, CALL_TIMEOUT, "exec-1:node-a");
    }

    static HttpCallResult result(Uni<HttpCallResult> call) {
        return call.await().atMost(WAIT);
    }

    static HttpCallFailure failure(Uni<HttpCallResult> call) {
        try {
            HttpCallResult result = call.await().atMost(WAIT);
            return fail("expected a failure, got " + result);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            return assertInstanceOf(HttpCallFailure.class, cause, () -> "unexpected " + e);
        }
    }

    /** Treats exactly 127.0.0.1 as a public address, everything else by the production rule without private targets. */
    static AddressCheck loopbackServerIsPublic() {
        InetAddress server = FakeResolver.literal("127.0.0.1");
        return address -> address.equals(server) ? Optional.empty() : AddressPolicy.refusal(address, false);
    }
}
