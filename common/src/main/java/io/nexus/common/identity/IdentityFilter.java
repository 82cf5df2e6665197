package io.nexus.common.identity;

import java.util.List;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemResponses;
import io.nexus.common.problem.ProblemType;

/**
 * Verifies {@code X-Nexus-Identity} on every request a service serves (docs/api.md §2): a direct call with a missing,
 * forged or expired identity gets 401 before any resource runs, even on a path no resource serves. {@code /q/*} never
 * reaches this filter (it is not a REST resource); the gateway, which signs identities, switches it off with
 * {@code nexus.identity.required=false}. A service identity is accepted on {@code /internal/*} only, judged on a path
 * whose raw and normalised forms agree ({@link RequestPaths}).
 */
public class IdentityFilter {

    private static final String INTERNAL_PREFIX = "/internal/";

    private final IdentityTokens tokens;
    private final IdentityConfig config;
    private final CurrentCaller caller;

    public IdentityFilter(IdentityTokens tokens, IdentityConfig config, CurrentCaller caller) {
        this.tokens = tokens;
        this.config = config;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response verify(ContainerRequestContext request) {
        if (!config.required()) {
            return null;
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        // The /internal/ gate below reads the raw path; the router reads the normalised one. Only a path whose two
        // forms agree passes (no encoded '/' or '.', no dot segment), so /internal/%2e%2e/api/... opens nothing.
        FieldError pathError = RequestPaths.pathError(path);
        if (pathError != null) {
            return ProblemResponses.of(ProblemException.invalid(List.of(pathError)), path);
        }
        CallerIdentity identity;
        try {
            identity = tokens.verify(request.getHeaderString(IdentityTokens.HEADER));
        } catch (InvalidIdentityException e) {
            return ProblemResponses.of(ProblemType.UNAUTHORIZED, e.getMessage(), path);
        }
        if (identity.isService() && !path.startsWith(INTERNAL_PREFIX)) {
            return ProblemResponses.of(ProblemType.FORBIDDEN, "a service identity is only valid on /internal",
                    path);
        }
        caller.set(identity);
        return null;
    }
}
