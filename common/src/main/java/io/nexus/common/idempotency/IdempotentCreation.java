package io.nexus.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.background.PeriodicTask;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.ControlCharacters;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code Idempotency-Key} on a creating POST (docs/api.md §2.7): scoped to (tenant, method, route), kept 24 h. The
 * first request claims the key (its own short statement, visible to every replica at once), runs, and its answer is
 * remembered; a retry with the same key and body gets that answer again (status, body, Location, ETag), the same key
 * with another body is 422, and while the first has not answered, 409.
 *
 * <p>Remembered: 2xx and 4xx answers. A 5xx or an unexpected failure gives the key back, so that the client's retry
 * runs again. A replica that stops between creating and remembering leaves a claim without an answer: after
 * {@code nexus.idempotency.in-flight-window} a retry runs the request again (it may create a second resource; the
 * window keeps that to clients retrying a request whose first attempt never answered).
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class IdempotentCreation {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_KEY_LENGTH = 255;
    private static final List<String> REMEMBERED_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG);
    private static final Logger LOG = Logger.getLogger(IdempotentCreation.class);

    private final IdempotencyKeys keys;
    private final IdempotencyConfig config;
    private final ObjectMapper mapper;
    private final PeriodicTask cleanup;

    public IdempotentCreation(Pool pool, IdempotencyConfig config, ObjectMapper mapper) {
        this.keys = new IdempotencyKeys(pool);
        this.config = config;
        this.mapper = mapper;
        this.cleanup = new PeriodicTask(LOG, "Forgetting expired idempotency keys",
                () -> keys.forgetOlderThan(config.retention()));
    }

    /**
     * Runs {@code create} under {@code key} (the raw header, null when absent: then it simply runs). {@code request}
     * is what a retry must repeat: the body's bytes as received, or the bound request record (then a retry may
     * format its JSON differently).
     */
    public Uni<Response> run(IdempotencyScope scope, String key, Object request, Supplier<Uni<Response>> create) {
        if (key == null) {
            return create.get();
        }
        validate(key);
        String hash = hash(scope, bytes(request));
        return keys.claim(scope, key, hash, config.retention(), config.inFlightWindow())
                .chain(claimed -> claimed ? first(scope, key, hash, create) : retry(scope, key, hash));
    }

    private Uni<Response> first(IdempotencyScope scope, String key, String hash, Supplier<Uni<Response>> create) {
        Uni<Response> answer;
        try {
            answer = create.get();
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        return answer
                .call(response -> response.getStatus() < 500
                        ? remember(scope, key, hash, response.getStatus(), response.getEntity(), headersOf(response))
                        : release(scope, key, hash))
                .onFailure().call(failure -> failure instanceof ProblemException problem
                        && problem.type().status() < 500
                                ? remember(scope, key, hash, problem.type().status(),
                                        problem.toProblem(scope.route()), problemHeaders(problem))
                                : release(scope, key, hash));
    }

    private Uni<Response> retry(IdempotencyScope scope, String key, String hash) {
        return keys.find(scope, key).map(first -> {
            if (first == null) {
                // Released (the first failed) or expired between the claim and now.
                throw new ProblemException(ProblemType.CONFLICT, "the first request with this Idempotency-Key did "
                        + "not complete; retry");
            }
            if (!first.requestHash().equals(hash)) {
                throw new ProblemException(ProblemType.UNPROCESSABLE,
                        "this Idempotency-Key was used with a different request body", List.of(new FieldError(HEADER,
                                "was used with a different request body; use a new key for a new request")),
                        Map.of());
            }
            if (!first.answered()) {
                throw new ProblemException(ProblemType.CONFLICT,
                        "the first request with this Idempotency-Key is still in progress; retry later", null,
                        Map.of("Retry-After", "1"));
            }
            return replay(first);
        });
    }

    private static Response replay(RememberedAnswer first) {
        Response.ResponseBuilder response = Response.status(first.status());
        first.headers().forEach(response::header);
        if (first.body() != null) {
            response.entity(first.body());
        }
        return response.build();
    }

    private Uni<Void> remember(IdempotencyScope scope, String key, String hash, int status, Object entity,
            Map<String, String> headers) {
        String body;
        try {
            body = entity == null ? null : entity instanceof String text ? text : mapper.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            return release(scope, key, hash);
        }
        return keys.remember(scope, key, hash, status, body, headers)
                .onFailure().invoke(failure -> LOG.warnf("Could not remember the answer to an Idempotency-Key on %s: %s",
                        scope.route(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> release(IdempotencyScope scope, String key, String hash) {
        return keys.release(scope, key, hash)
                .onFailure().invoke(failure -> LOG.warnf("Could not release an Idempotency-Key on %s: %s",
                        scope.route(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static Map<String, String> headersOf(Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : REMEMBERED_HEADERS) {
            String value = response.getHeaderString(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        if (response.getEntity() != null) {
            MediaType type = response.getMediaType();
            headers.put(HttpHeaders.CONTENT_TYPE, type == null ? MediaType.APPLICATION_JSON : type.toString());
        }
        return headers;
    }

    private static Map<String, String> problemHeaders(ProblemException problem) {
        Map<String, String> headers = new LinkedHashMap<>(problem.headers());
        headers.put(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return headers;
    }

    static void validate(String key) {
        int length = key.codePointCount(0, key.length());
        if (length < 1 || length > MAX_KEY_LENGTH) {
            throw ProblemException.invalid(List.of(new FieldError(HEADER,
                    "must be 1 to " + MAX_KEY_LENGTH + " characters, got " + length)));
        }
        if (key.chars().anyMatch(c -> ControlCharacters.isControl((char) c))) {
            throw ProblemException.invalid(List.of(new FieldError(HEADER, "must not contain control characters")));
        }
    }

    private byte[] bytes(Object request) {
        if (request == null || request instanceof byte[]) {
            return (byte[]) request;
        }
        try {
            return mapper.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a bound request is always writable as JSON", e);
        }
    }

    /** The request as far as a retry must repeat it: the route (ids included) and the body. */
    private static String hash(IdempotencyScope scope, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(scope.route().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            if (body != null) {
                digest.update(body);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    void startCleanup(@Observes StartupEvent event, Vertx vertx) {
        cleanup.start(vertx, config.cleanupInterval());
    }

    void stopCleanup(@Observes ShutdownEvent event, Vertx vertx) {
        cleanup.stop(vertx);
    }

    /** One cleanup run now (tests). */
    public Uni<Void> forgetExpired() {
        return cleanup.runOnce();
    }
}
