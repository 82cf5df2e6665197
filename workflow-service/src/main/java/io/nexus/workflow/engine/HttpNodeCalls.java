package io.nexus.workflow.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.domain.StorableJson;
import io.nexus.workflow.engine.http.HttpCallFailure;
import io.nexus.workflow.engine.http.HttpCallResult;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.engine.http.SafeHttpClient;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.ExpressionFailure;
import io.smallrye.mutiny.Uni;

/**
 * What an {@code http} node does around {@link SafeHttpClient} (docs/api.md §5): its CEL config evaluated into a
 * request, and the answer turned into the attempt's outcome.
 *
 * <ul>
 *   <li>A response below 400 is the node's output {@code {status, headers, body}} (response headers only).</li>
 *   <li>A status of 400 or more fails the attempt with code {@value #STATUS_FAILURE}; the failed attempt's response
 *       is not kept. Only 408, 425, 429 and 5xx are retried under {@code retry}, no sooner than their
 *       {@code Retry-After} asks; any other 4xx goes to {@code onError} at once.</li>
 *   <li>A call without a response fails with the client's code: {@code http} and {@code timeout} are retried,
 *       {@code forbidden-target}, {@code limit} and {@code invalid-request} are not (see {@link HttpCallFailure}).
 *       An expression of the config that fails gives {@code expression} or {@code limit}, as for other nodes.</li>
 *   <li>Every attempt of a node in an execution sends the same {@code Idempotency-Key},
 *       {@code <executionId>:<nodeId>}, so a receiver can tell a retry from a new request.</li>
 *   <li>Request headers may carry credentials: no outcome or message built here contains their values.</li>
 * </ul>
 */
final class HttpNodeCalls {

    static final String STATUS_FAILURE = HttpCallFailure.HTTP;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Statuses below 500 worth another attempt: timeout, too early, too many requests. Every 5xx is too. */
    private static final Set<Integer> RETRIED_STATUSES = Set.of(408, 425, 429);

    private HttpNodeCalls() {
    }

    /** One attempt's request, or why the node's config could not be evaluated into one. */
    record Request(HttpCallSpec spec, NodeOutcome failure) {

        boolean failed() {
            return failure != null;
        }
    }

    /** Evaluates the node's url, headers and body; CPU work, so the caller runs it off the event loop. */
    static Request request(CompiledWorkflow workflow, NodeDefinition node, EvaluationContext context,
            UUID executionId) {
        String nodeId = node.id();
        String url;
        try {
            url = workflow.nodeExpression(nodeId, "url").evaluateString(context);
        } catch (ExpressionFailure e) {
            return failed(e.code(), "url: " + e.getMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, CompiledExpression> header : workflow.headerExpressions(nodeId).entrySet()) {
            JsonNode value;
            try {
                value = header.getValue().evaluate(context);
            } catch (ExpressionFailure e) {
                return failed(e.code(), "headers." + header.getKey() + ": " + e.getMessage());
            }
            if (!value.isTextual()) {
                // Only the type: a header value may be a secret even when it is not a string.
                return failed(ExpressionFailure.EXPRESSION, "headers." + header.getKey()
                        + ": expected a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            headers.put(header.getKey(), value.textValue());
        }
        JsonNode body = null;
        CompiledExpression bodyExpression = workflow.nodeExpression(nodeId, "body");
        if (bodyExpression != null) {
            try {
                body = bodyExpression.evaluate(context);
            } catch (ExpressionFailure e) {
                return failed(e.code(), "body: " + e.getMessage());
            }
            if (body.isNull()) {
                body = null;
            }
        }
        String method = node.config().path("method").asText();
        return new Request(new HttpCallSpec(method, url, headers, body, timeout(node),
                idempotencyKey(executionId, nodeId)), null);
    }

    /** The call and its outcome; never fails (a failure is an outcome). */
    static Uni<NodeOutcome> call(SafeHttpClient client, HttpCallSpec spec) {
        return client.call(spec)
                .map(result -> outcome(spec, result, Instant.now()))
                .onFailure().recoverWithItem(HttpNodeCalls::failed);
    }

    /**
     * A call without a response: a connection failure (refused, reset, TLS, DNS) or a timeout may go better next
     * time; a refused target, an oversized answer or a request the client will not send never does.
     */
    static NodeOutcome failed(Throwable failure) {
        if (!(failure instanceof HttpCallFailure call)) {
            return NodeOutcome.failure(HttpCallFailure.HTTP, "the call failed: " + failure.getClass().getSimpleName());
        }
        return switch (call.code()) {
            case HttpCallFailure.HTTP, HttpCallFailure.TIMEOUT -> NodeOutcome.failure(call.code(), call.getMessage());
            default -> NodeOutcome.finalFailure(call.code(), call.getMessage());
        };
    }

    static NodeOutcome outcome(HttpCallSpec spec, HttpCallResult result, Instant now) {
        int status = result.status();
        if (status >= 400) {
            String message = spec.method().toUpperCase(Locale.ROOT) + " " + withoutQuery(spec.url()) + " answered "
                    + status;
            if (!RETRIED_STATUSES.contains(status) && status < 500) {
                return NodeOutcome.finalFailure(STATUS_FAILURE, message);
            }
            return NodeOutcome.failure(STATUS_FAILURE, message)
                    .retryAfter(retryAfterMs(result.headers().get("retry-after"), now));
        }
        ObjectNode output = JSON.objectNode();
        output.put("status", result.status());
        ObjectNode headers = output.putObject("headers");
        result.headers().forEach(headers::put);
        output.set("body", result.body() == null ? JSON.nullNode() : result.body());
        if (!StorableJson.storable(output)) {
            // The step would be committed at once and fail to commit every time: the node fails instead.
            return NodeOutcome.finalFailure(HttpCallFailure.LIMIT, "the response " + StorableJson.NUL_REASON);
        }
        return NodeOutcome.success(output);
    }

    /**
     * A {@code Retry-After} value in milliseconds from {@code now}: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
     * 0 when absent, unreadable or in the past.
     */
    static long retryAfterMs(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // More than 9 digits is beyond any cap anyway.
            return trimmed.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(trimmed) * 1000;
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(now, at).toMillis());
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    static String idempotencyKey(UUID executionId, String nodeId) {
        return executionId + ":" + nodeId;
    }

    /**
     * The tighter of the node's {@code timeoutMs} (per attempt) and its config's {@code timeoutMs} (the call); null
     * when neither is set. The client cuts it to its configured maximum in any case.
     */
    static Duration timeout(NodeDefinition node) {
        Long limit = node.timeoutMs();
        JsonNode configured = node.config().path("timeoutMs");
        if (configured.isIntegralNumber()) {
            limit = limit == null ? configured.longValue() : Math.min(limit, configured.longValue());
        }
        return limit == null ? null : Duration.ofMillis(limit);
    }

    /** Scheme, authority and path: a query may carry tokens, and failure messages are kept with the step. */
    private static String withoutQuery(String url) {
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "" : uri.getHost();
            return uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (URISyntaxException e) {
            return "the target";
        }
    }

    private static Request failed(String code, String message) {
        return new Request(null, NodeOutcome.failure(code, message));
    }
}
