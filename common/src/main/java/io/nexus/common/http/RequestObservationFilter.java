package io.nexus.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;

/**
 * Observes every REST request: assigns and returns {@code X-Request-Id} (also in the log context), and records
 * {@code nexus_channel_request_duration_seconds} by route template, counting 5xx answers as server-side errors.
 */
public class RequestObservationFilter {

    private static final String STARTED_AT = RequestObservationFilter.class.getName() + ".startedAt";

    private final ContractMetrics metrics;

    public RequestObservationFilter(ContractMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION - 100)
    public void onRequest(ContainerRequestContext request) {
        request.setProperty(STARTED_AT, System.nanoTime());
        String requestId = RequestIds.acceptOrGenerate(request.getHeaderString(RequestIds.HEADER));
        request.getHeaders().putSingle(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response,
            SimpleResourceInfo resource) {
        response.getHeaders().putSingle(RequestIds.HEADER, request.getHeaderString(RequestIds.HEADER));
        Object startedAt = request.getProperty(STARTED_AT);
        int status = response.getStatus();
        if (startedAt instanceof Long started) {
            String route = RouteTemplates.of(resource);
            Channel channel = Channel.parseOrDefault(request.getHeaderString(Channel.HEADER));
            metrics.recordRequest(channel, request.getMethod(), route, status, System.nanoTime() - started);
        }
        if (status >= 500) {
            metrics.countError(ErrorType.HTTP_5XX);
        }
        MDC.remove(RequestIds.MDC_KEY);
    }
}
