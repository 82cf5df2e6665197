package io.nexus.common.identity;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.nexus.common.problem.ProblemResponses;
import io.nexus.common.problem.ProblemType;

/**
 * Verifies {@code X-Nexus-Identity} on every request a service serves (docs/api.md §2): a direct call with a missing,
 * forged or expired identity gets 401 before any resource runs, even on a path no resource serves. {@code /q/*} never
 * reaches this filter (it is not a REST resource); the gateway, which signs identities, switches it off with
 * {@code nexus.identity.required=false}. A service identity is accepted on {@code /internal/*} only.
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
