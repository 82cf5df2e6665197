package io.nexus.common.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemResponses;
import io.nexus.common.problem.ProblemType;

/**
 * Request bodies are JSON (docs/api.md §4.1): a POST, PUT or PATCH that carries a body must say
 * {@code application/json} (or {@code application/merge-patch+json} on a PATCH), with no charset but UTF-8, else 415.
 * Without this, RESTEasy reads a body with no or a wildcard Content-Type as if it were JSON. Bodyless POSTs (cancel,
 * signals without payload) need no Content-Type. Runs after the identity check, so an anonymous caller still gets 401.
 */
public class JsonContentTypeFilter {

    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION + 100)
    public Response check(ContainerRequestContext request) {
        if (!METHODS_WITH_BODY.contains(request.getMethod()) || !hasBody(request)) {
            return null;
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path.startsWith("/q/") || path.equals("/mcp") || path.startsWith("/mcp/")) {
            return null;
        }
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (accepted(request.getMethod(), contentType)) {
            return null;
        }
        String expected = "PATCH".equals(request.getMethod())
                ? "application/json or " + MERGE_PATCH
                : "application/json";
        String message = contentType == null
                ? "a request body needs Content-Type " + expected
                : "'" + contentType + "' is not supported; send " + expected + " (charset utf-8 if any)";
        return ProblemResponses.of(new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "the request body must be JSON", List.of(new FieldError(HttpHeaders.CONTENT_TYPE, message)), Map.of()),
                path);
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !"0".equals(length.trim());
        }
        // Any Transfer-Encoding means a body follows (HTTP/1.1 allows chunked only, and it ends the list).
        return request.getHeaderString("Transfer-Encoding") != null;
    }

    static boolean accepted(String method, String contentType) {
        if (contentType == null) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String essence = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        boolean json = essence.equals(MediaType.APPLICATION_JSON)
                || ("PATCH".equals(method) && essence.equals(MERGE_PATCH));
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        return json && (charset == null || charset.equalsIgnoreCase("utf-8"));
    }
}
