package io.nexus.common.http;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.nexus.common.identity.IdentityConfig;

/**
 * Gives the errors the HTTP layer answers before any resource runs a problem+json body (docs/api.md §3): a request
 * target outside the URI grammar or with a malformed percent-escape (400, naming {@code path} or the query parameter),
 * a declared body over {@code quarkus.http.limits.max-body-size} (413), and every status Vert.x Web fails a request
 * with on its own (the asterisk form {@code GET *}, a path it cannot route), which Quarkus would answer empty.
 * <p>
 * A chunked body has no length to check up front: the REST layer's stream would answer an empty 413 once the limit is
 * passed and then fail writing a second answer. So a service behind the gateway ({@code nexus.identity.required})
 * reads a chunked body here, within the limit, and the REST layer takes it from memory. The gateway, which streams
 * bodies through, is left alone.
 */
@Singleton
public class HttpEdgeProblems {

    /** Before Quarkus's own upload limit (order -2), which answers an empty 413. */
    private static final int BEFORE_UPLOAD_LIMIT = -3;

    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final boolean bufferChunkedBodies;
    private final BodyHandler chunkedBodies;

    public HttpEdgeProblems(ObjectMapper json, IdentityConfig identity,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
        this.bufferChunkedBodies = identity.required();
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_UPLOAD_LIMIT).handler(this::checkRequest);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    void checkRequest(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String target = request.uri();
        Optional<FieldError> fault = target.startsWith("/") ? RequestTargets.firstFault(target) : Optional.empty();
        if (fault.isPresent()) {
            write(ctx, new ProblemException(ProblemType.INVALID_REQUEST, "the request target is not a valid URI",
                    List.of(fault.get()), java.util.Map.of()), true);
            return;
        }
        boolean mcp = isMcp(request);
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !mcp && exceeds(length)) {
            write(ctx, new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the request body is larger than "
                    + maxBodyBytes + " bytes"), true);
            return;
        }
        if (length == null && bufferChunkedBodies && request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !mcp) {
            // Over the limit, the body handler fails the request with 413, which failure() below answers.
            chunkedBodies.handle(ctx);
            return;
        }
        ctx.next();
    }

    /** Failures Vert.x Web raises itself carry a status and no exception, or an {@link HttpException}. */
    void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
        if ((failure != null && !(failure instanceof HttpException)) || status < 400 || status >= 500
                || ctx.response().headWritten() || isMcp(ctx.request())) {
            ctx.next();
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "no resource at " + safeTarget(ctx);
            case 413 -> "the request body is larger than " + maxBodyBytes + " bytes";
            default -> "the request was rejected";
        };
        write(ctx, new ProblemException(type, detail), status == 413);
    }

    /** MCP answers its own refusals, its body limit included, with JSON-RPC errors (workflow-service's McpEndpoint). */
    private static boolean isMcp(HttpServerRequest request) {
        return request.path() != null && request.path().startsWith("/mcp");
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void write(RoutingContext ctx, ProblemException problem, boolean close) {
        HttpServerResponse response = ctx.response();
        byte[] body;
        try {
            Problem document = problem.toProblem(safeTarget(ctx));
            body = json.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.type().status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            // The unread body must not be taken for the next request on this connection.
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(ended -> ctx.request().connection().close());
        }
        response.end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    /** The path for {@code instance}, only if it is itself valid (a refused target is not echoed back raw). */
    private static String safeTarget(RoutingContext ctx) {
        String path = ctx.request().path();
        return path != null && path.startsWith("/") && RequestTargets.firstFault(path).isEmpty() ? path : null;
    }
}
