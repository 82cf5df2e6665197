package io.nexus.gateway.proxy;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.nexus.common.http.Channel;
import io.nexus.common.http.RequestIds;
import io.nexus.common.http.RouteTemplates;
import io.nexus.common.identity.ApiKeyHash;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.RequestPaths;
import io.nexus.common.identity.Role;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.session.SessionKeys;
import io.nexus.gateway.auth.AuthenticatedKey;
import io.nexus.gateway.auth.Credentials;
import io.nexus.gateway.auth.FailedAuthThrottle;
import io.nexus.gateway.auth.FailedAuthThrottle.Reason;
import io.nexus.gateway.auth.KeyResolver;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.ratelimit.RateLimitDecision;
import io.nexus.gateway.ratelimit.RateLimiter;
import io.nexus.gateway.routing.Route;
import io.nexus.gateway.routing.RouteTable;
import io.nexus.gateway.session.SessionGate;
import io.nexus.gateway.session.SessionTouch;
import io.nexus.gateway.session.SessionVerdict;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every {@code /api} request: route, authenticate (platform admin key from configuration, else the key via
 * tenant-service), check the channel and the role table, apply the tenant's rate limit and use the session named by
 * {@code X-Nexus-Session} (both in one round trip to Redis), then forward with a signed {@code X-Nexus-Identity}.
 * Records {@code nexus_channel_request_duration_seconds} by route template.
 */
@Singleton
public class ApiGatewayHandler {

    private static final Logger LOG = Logger.getLogger(ApiGatewayHandler.class);
    private static final String SESSION_HEADER = "X-Nexus-Session";

    private final RouteTable routes;
    private final KeyResolver keys;
    private final FailedAuthThrottle failedAuth;
    private final RateLimiter limiter;
    private final SessionGate sessions;
    private final IdentityTokens identities;
    private final UpstreamProxy proxy;
    private final ProblemWriter problems;
    private final ContractMetrics metrics;
    private final byte[] adminKeyHash;
    private final int adminKeyLength;
    private final Clock clock = Clock.systemUTC();

    public ApiGatewayHandler(RouteTable routes, KeyResolver keys, FailedAuthThrottle failedAuth, RateLimiter limiter,
            SessionGate sessions, IdentityTokens identities, UpstreamProxy proxy, ProblemWriter problems,
            ContractMetrics metrics, GatewayConfig config) {
        this.routes = routes;
        this.keys = keys;
        this.failedAuth = failedAuth;
        this.limiter = limiter;
        this.sessions = sessions;
        this.identities = identities;
        this.proxy = proxy;
        this.problems = problems;
        this.metrics = metrics;
        this.adminKeyHash = config.adminKey().map(key -> {
            if (key.length() < 16) {
                throw new IllegalStateException("NEXUS_ADMIN_KEY must be at least 16 characters");
            }
            return ApiKeyHash.of(key);
        }).orElse(null);
        this.adminKeyLength = config.adminKey().map(String::length).orElse(-1);
    }

    void register(@Observes Router router) {
        router.route("/api/*").handler(this::handle);
        router.route("/mcp").handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        safely(ctx, () -> admit(ctx));
    }

    private void admit(RoutingContext ctx) {
        long started = System.nanoTime();
        HttpServerRequest in = ctx.request();
        in.pause();
        HttpServerResponse out = ctx.response();
        String requestId = RequestIds.acceptOrGenerate(in.getHeader(RequestIds.HEADER));
        out.putHeader(RequestIds.HEADER, requestId);
        Optional<Route> route = routes.match(in.path());
        boolean mcp = route.isPresent() && route.get().access() == Route.Access.MCP;
        // On /mcp the channel is mcp whatever the client declares (docs/api.md §2).
        Channel declared = mcp ? Channel.MCP : Channel.parse(in.getHeader(Channel.HEADER));
        Channel channel = declared == null ? Channel.API : declared;
        String template = route.map(Route::template).orElse(RouteTemplates.UNMATCHED);
        out.endHandler(ended -> {
            metrics.recordRequest(channel, in.method().name(), template, out.getStatusCode(),
                    System.nanoTime() - started);
            if (out.getStatusCode() >= 500) {
                metrics.countError(ErrorType.HTTP_5XX);
            }
        });
        // Before the route: the route table reads the raw path, the service's router the normalised one, and both
        // must mean the same resource; a NUL or a malformed escape is the client's mistake, named as such.
        FieldError badPath = RequestPaths.pathError(in.path());
        FieldError badQuery = badPath == null ? RequestPaths.targetQueryError(in.uri()) : null;
        if (badPath != null || badQuery != null) {
            reject(ctx, ProblemException.invalid(List.of(badPath != null ? badPath : badQuery)));
            return;
        }
        if (route.isEmpty()) {
            reject(ctx, new ProblemException(ProblemType.NOT_FOUND, "no resource at " + in.path()));
            return;
        }
        StringBuilder why = new StringBuilder();
        String key = Credentials.extract(in, why);
        if (key == null) {
            failedAuth.failed(null, Reason.MISSING_KEY);
            reject(ctx, unauthorized(why.toString()));
            return;
        }
        // An address with too many recent failures asks tenant-service nothing more for a while; keys this replica
        // already knows as valid cost nothing to check and still pass.
        long throttledFor = failedAuth.retryAfterSeconds(in);
        if (throttledFor > 0 && !keys.cachedValid(key)) {
            failedAuth.failed(failedAuth.clientAddress(in), Reason.THROTTLED);
            reject(ctx, new ProblemException(ProblemType.TOO_MANY_REQUESTS, "too many failed authentications from "
                    + "this address; retry after " + throttledFor + " s", null,
                    Map.of("Retry-After", Long.toString(throttledFor))));
            return;
        }
        if (declared == null) {
            reject(ctx, ProblemException.badRequest("X-Nexus-Channel must be api, cli or mcp"));
            return;
        }
        String session = in.getHeader(SESSION_HEADER);
        if (session != null && !SessionKeys.isSessionId(session)) {
            reject(ctx, ProblemException.badRequest(
                    SESSION_HEADER + " must be a session id: 22 characters of A-Z, a-z, 0-9, '-' and '_'"));
            return;
        }
        if (isAdminKey(key)) {
            if (session != null) {
                // Sessions belong to a tenant; the platform admin is no tenant's caller, so it can have none.
                reject(ctx, ProblemException.badRequest(SESSION_HEADER + " is not accepted with the platform admin key,"
                        + " which has no sessions"));
                return;
            }
            admitPlatformAdmin(ctx, route.get(), new CallerIdentity(null, Role.PLATFORM_ADMIN, null, channel, null,
                    requestId));
            return;
        }
        CompletableFuture<Optional<AuthenticatedKey>> lookup = keys.resolve(key, requestId);
        if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
            admitKey(ctx, route.get(), lookup.join(), channel, session, requestId); // cached: no hand-off at all
            return;
        }
        Context requestContext = Vertx.currentContext();
        lookup.whenComplete((grant, failure) -> onContext(requestContext, () -> {
            if (failure != null) {
                reject(ctx, new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                        "API keys cannot be checked right now (tenant-service unavailable); retry shortly"));
            } else {
                safely(ctx, () -> admitKey(ctx, route.get(), grant, channel, session, requestId));
            }
        }));
    }

    /** Continues on the request's own context: a shared key lookup may complete on another event loop. */
    private static void onContext(Context context, Runnable step) {
        if (context == null || context == Vertx.currentContext()) {
            step.run();
        } else {
            context.runOnContext(ignored -> step.run());
        }
    }

    private void admitPlatformAdmin(RoutingContext ctx, Route route, CallerIdentity admin) {
        if (route.access() != Route.Access.TENANTS) {
            reject(ctx, new ProblemException(ProblemType.FORBIDDEN,
                    "the platform admin key may only call /api/v1/tenants"));
            return;
        }
        proxy.forward(ctx, route, identities.sign(admin, route.service()), admin.requestId());
    }

    private void admitKey(RoutingContext ctx, Route route, Optional<AuthenticatedKey> grant, Channel channel,
            String session, String requestId) {
        if (grant.isEmpty() || grant.get().expiredAt(clock.instant())) {
            failedAuth.failed(failedAuth.clientAddress(ctx.request()),
                    grant.isEmpty() ? Reason.UNKNOWN_KEY : Reason.EXPIRED_KEY);
            reject(ctx, unauthorized("the API key is unknown, expired or revoked"));
            return;
        }
        AuthenticatedKey key = grant.get();
        if (key.tenantSuspended()) {
            reject(ctx, new ProblemException(ProblemType.FORBIDDEN, "the tenant is suspended"));
            return;
        }
        if (route.access() == Route.Access.TENANT_SCOPED
                && !key.role().allows(Route.permissionFor(ctx.request().method().name()))) {
            reject(ctx, new ProblemException(ProblemType.FORBIDDEN, "role '" + key.role().wire()
                    + "' may not " + ctx.request().method().name() + " " + route.template()));
            return;
        }
        Future<RateLimitDecision> limit = limiter.acquire(key.tenantId(), key.quotas().apiCallsPerMinute());
        // Sent right behind the rate-limit step on the same connection, before waiting for either: one round trip.
        Future<SessionTouch> touch = session == null ? null : sessions.touch(key.tenantId(), channel, session);
        CallerIdentity caller = new CallerIdentity(key.tenantId(), key.role(), key.keyId(), channel, session, requestId);
        limit.onComplete(answer -> safely(ctx, () -> {
            if (answer.failed()) {
                reject(ctx, new ProblemException(ProblemType.INTERNAL, "the request could not be admitted"));
                return;
            }
            RateLimitDecision decision = answer.result();
            HttpServerResponse out = ctx.response();
            if (decision.decided()) {
                out.putHeader("RateLimit-Limit", Long.toString(decision.limit()));
                out.putHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
                out.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
            }
            if (!decision.allowed()) {
                reject(ctx, tooManyRequests(decision)); // wins over whatever the session's answer is
                return;
            }
            if (touch == null) {
                proxy.forward(ctx, route, identities.sign(caller, route.service()), requestId);
                return;
            }
            sessions.verdict(touch, caller).onComplete(verdict -> safely(ctx,
                    () -> admitSession(ctx, route, caller, verdict.result())));
        }));
    }

    private void admitSession(RoutingContext ctx, Route route, CallerIdentity caller, SessionVerdict verdict) {
        switch (verdict) {
            case IN_USE -> proxy.forward(ctx, route, identities.sign(caller, route.service()), caller.requestId());
            case UNKNOWN -> reject(ctx, ProblemException.notFound("no session '" + caller.sessionId() + "'"));
            case UNAVAILABLE -> reject(ctx, new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "sessions cannot be checked right now; retry shortly"));
        }
    }

    /** A bug in a callback must still answer the client (500), never leave it hanging. */
    private void safely(RoutingContext ctx, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Failed handling %s %s", ctx.request().method(), ctx.request().path());
            reject(ctx, new ProblemException(ProblemType.INTERNAL, "the gateway could not complete the request"));
        }
    }

    private void reject(RoutingContext ctx, ProblemException problem) {
        ctx.request().resume();
        problems.write(ctx.response(), problem, ctx.request().path());
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail, null,
                Map.of("WWW-Authenticate", "Bearer realm=\"nexus\""));
    }

    private static ProblemException tooManyRequests(RateLimitDecision decision) {
        return new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant's limit of " + decision.limit()
                + " API calls per minute is used up; retry after " + decision.retryAfterSeconds() + " s", null,
                Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
    }

    /**
     * Constant time on hashes, so the content of the admin key does not leak through timing. Keys of another length
     * are answered at once: that says only how long the admin key is, and spares every request a hash.
     */
    private boolean isAdminKey(String key) {
        return adminKeyHash != null && key.length() == adminKeyLength
                && MessageDigest.isEqual(adminKeyHash, ApiKeyHash.of(key));
    }

}
