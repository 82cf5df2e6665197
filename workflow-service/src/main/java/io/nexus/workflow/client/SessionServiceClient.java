package io.nexus.workflow.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.workflow.config.WorkflowConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * session-service as the engine uses it (docs/api.md §5): read a session's data, merge a patch into it. Every call
 * carries a service identity for the execution's tenant, channel and session, and is guarded by
 * {@link ServiceCallGuard} (timeout, retries of what may pass, circuit breaker), so that executions do not queue
 * behind a service that is down. Answers about the session itself (404, 413) are neither retried nor held against
 * session-service.
 *
 * <p>Why the Quarkus REST client: session-service is a fixed, trusted internal target, so none of the SSRF rules of
 * the {@code http} nodes' client apply and a JAX-RS interface says all there is to say. Non-blocking: a call returns
 * a {@link Uni} and never holds a thread, on the event loop or elsewhere.
 */
@ApplicationScoped
public class SessionServiceClient {

    private final SessionServiceApi api;
    private final IdentityTokens tokens;
    private final ServiceCallGuard guard;

    public SessionServiceClient(WorkflowConfig config, IdentityTokens tokens) {
        WorkflowConfig.SessionService settings = config.sessionService();
        this.tokens = tokens;
        Duration timeout = settings.timeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(settings.url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // The guard's timeout fails the attempt; this one also frees the connection of a call that hangs.
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(SessionServiceApi.class);
        this.guard = new ServiceCallGuard("session-service", timeout, settings.maxRetries(),
                SessionServiceException.class, SessionServiceException::isTransient,
                SessionServiceException::isAboutTheSession, SessionServiceException::unavailable);
    }

    /** The session's {@code data}; fails with {@link SessionServiceException}. */
    public Uni<JsonNode> data(SessionCaller caller) {
        return guarded(() -> api.read(caller.sessionId(), identity(caller)));
    }

    /**
     * Merges {@code patch} (RFC 7386: a null member deletes the key) into the session's data and answers the data
     * after the merge; fails with {@link SessionServiceException}. Applying a merge patch twice gives the data it gave
     * once, so an attempt repeated after a timeout does no harm.
     */
    public Uni<JsonNode> merge(SessionCaller caller, ObjectNode patch) {
        return guarded(() -> api.merge(caller.sessionId(), identity(caller), patch));
    }

    /**
     * The whole session ({@code {id, userId, channels, data, createdAt, lastActivity, expiresAt}}), as a use on the
     * caller's channel; fails with {@link SessionServiceException}.
     */
    public Uni<JsonNode> session(SessionCaller caller) {
        return guard.call(() -> api.read(caller.sessionId(), identity(caller)));
    }

    /** Like {@link #merge}, answering the whole session after the merge. */
    public Uni<JsonNode> mergeIntoSession(SessionCaller caller, ObjectNode patch) {
        return guard.call(() -> api.merge(caller.sessionId(), identity(caller), patch));
    }

    /** Signed per attempt: a retry after a slow attempt still carries a fresh identity. */
    private String identity(SessionCaller caller) {
        return tokens.sign(new CallerIdentity(caller.tenantId(), Role.SERVICE, null,
                Channel.parseOrDefault(caller.channel()), caller.sessionId(), caller.requestId()), Audiences.SESSION_SERVICE);
    }

    private Uni<JsonNode> guarded(Supplier<Uni<JsonNode>> attempt) {
        return guard.call(attempt).map(SessionServiceClient::dataOf);
    }

    private static JsonNode dataOf(JsonNode session) {
        JsonNode data = session == null ? null : session.get("data");
        if (data == null || !data.isObject()) {
            throw SessionServiceException.unavailable("session-service answered without the session's data");
        }
        return data;
    }
}
