package io.nexus.gateway.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.nexus.common.problem.ProblemType;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.proxy.ProblemWriter;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the gateway refuses before any route looks at a request, for every path, as problem documents (docs/api.md §3):
 *
 * <ul>
 * <li><b>Header-read timeout.</b> A connection starts with the idle timeout {@code nexus.gateway.edge.header-timeout}
 * (Vert.x closes it after that long without a byte), so sockets that open and never finish their headers are closed.
 * The first request that arrives lifts it to {@code quarkus.http.idle-timeout} for the rest of the connection: a
 * long sync start or a quiet event stream must not be cut. Vert.x has no per-phase timeout; its idle handler is swapped
 * in the connection's pipeline (once per connection; a check of the handler on each request).</li>
 * <li><b>Content-Length over the body limit</b>: 413 (Quarkus's own limit would answer an empty 413), and the connection
 * is closed rather than the body read.</li>
 * <li><b>A request target over {@code max-uri-length}</b>: 414. Netty's own line limit
 * ({@code quarkus.http.limits.max-initial-line-length}, set above it) still answers a bare 414 past that.</li>
 * </ul>
 */
@Singleton
public class ConnectionLimits implements HttpServerOptionsCustomizer {

    /** Runs before Quarkus's upload limit (-2), so that an oversized Content-Length gets a problem document. */
    static final int ORDER = -3;
    private static final String IDLE_HANDLER = "idle";

    private final long headerTimeoutMs;
    private final long idleTimeoutMs;
    private final long maxBodyBytes;
    private final int maxUriLength;
    private final ProblemWriter problems;

    public ConnectionLimits(GatewayConfig config, ProblemWriter problems,
            @ConfigProperty(name = "quarkus.http.idle-timeout", defaultValue = "30M") Duration idleTimeout) {
        this.headerTimeoutMs = config.edge().headerTimeout().toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.maxBodyBytes = config.proxy().maxBodyBytes();
        this.maxUriLength = config.edge().maxUriLength();
        this.problems = problems;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        if (headerTimeoutMs < idleTimeoutMs) {
            options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) headerTimeoutMs);
        }
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        liftHeaderTimeout(in.connection());
        if (in.uri().length() > maxUriLength) {
            refuse(ctx, ProblemType.URI_TOO_LONG, "the request target exceeds " + maxUriLength + " characters");
            return;
        }
        String length = in.getHeader("Content-Length");
        if (length != null && parseLength(length) > maxBodyBytes) {
            refuse(ctx, ProblemType.PAYLOAD_TOO_LARGE, "the request body exceeds " + maxBodyBytes + " bytes");
            return;
        }
        ctx.next();
    }

    /** Answers, then closes the connection: whatever the client still sends (a body, the rest of it) is not read. */
    private void refuse(RoutingContext ctx, ProblemType type, String detail) {
        ctx.response().putHeader("Connection", "close");
        // A target too long to route is not echoed back as the problem's instance.
        String instance = type == ProblemType.URI_TOO_LONG ? null : ctx.request().path();
        problems.write(ctx.response(), type, detail, instance)
                .onComplete(written -> ctx.request().connection().close());
    }

    private void liftHeaderTimeout(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        ChannelHandler idle = pipeline.get(IDLE_HANDLER);
        if (idle instanceof IdleStateHandler handler && handler.getAllIdleTimeInMillis() == headerTimeoutMs) {
            pipeline.replace(IDLE_HANDLER, IDLE_HANDLER,
                    new IdleStateHandler(0, 0, idleTimeoutMs, TimeUnit.MILLISECONDS));
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
