package io.nexus.gateway.session;

import java.net.URI;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.nexus.common.http.RequestIds;
import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.eventloop.PerEventLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Asks session-service to bring back a session that Redis no longer has ({@code POST
 * /internal/sessions/{id}/touch}): after a flush or a restart of Redis, PostgreSQL still has every open session, and
 * only session-service may put one back. It answers 204 (restored and touched) or 404 (no such session of this
 * tenant). The call carries a {@code service} identity with the caller's tenant and channel.
 *
 * <p>Normally rare; after Redis lost its data, every session's next request comes here once. Each event loop has its
 * own client ({@link PerEventLoop}), so the answer arrives on the request's own thread.
 */
@ApplicationScoped
public class SessionRestorer {

    private final Vertx vertx;
    private final IdentityTokens identities;
    private final PerEventLoop<HttpClient> clients;
    private final URI sessionService;
    private final long timeoutMs;

    public SessionRestorer(Vertx vertx, IdentityTokens identities, GatewayConfig config) {
        this.vertx = vertx;
        this.identities = identities;
        this.sessionService = config.services().get("session-service").url();
        this.timeoutMs = config.sessions().restoreTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(timeoutMs, 2000));
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(8);
        this.clients = new PerEventLoop<>(() -> vertx.createHttpClient(options, pool));
    }

    /**
     * True when session-service restored and touched the session, false when it has no such session for the caller's
     * tenant; fails on anything else (another status, no answer within {@code nexus.gateway.sessions.restore-timeout}).
     */
    public Future<Boolean> restore(CallerIdentity caller) {
        CallerIdentity service = new CallerIdentity(caller.tenantId(), Role.SERVICE, null, caller.channel(),
                caller.sessionId(), caller.requestId());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(sessionService.getHost())
                .setPort(sessionService.getPort())
                .setURI("/internal/sessions/" + caller.sessionId() + "/touch")
                .setIdleTimeout(timeoutMs) // releases the connection of a call the timer below gave up on
                .putHeader(IdentityTokens.HEADER, identities.sign(service, Audiences.SESSION_SERVICE))
                .putHeader(RequestIds.HEADER, caller.requestId());
        Promise<Boolean> restored = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> restored.tryFail(
                new TimeoutException("session-service did not answer within " + timeoutMs + " ms")));
        clients.get().request(request)
                .compose(call -> call.send())
                .compose(response -> response.body().map(ignored -> response))
                .onComplete(answer -> {
                    vertx.cancelTimer(timer);
                    if (answer.failed()) {
                        restored.tryFail(answer.cause());
                    } else {
                        settle(restored, answer.result());
                    }
                });
        return restored.future();
    }

    private static void settle(Promise<Boolean> restored, HttpClientResponse response) {
        switch (response.statusCode()) {
            case 204 -> restored.tryComplete(true);
            case 404 -> restored.tryComplete(false);
            default -> restored.tryFail(new IllegalStateException("session-service answered " + response.statusCode()));
        }
    }

    void close(@Observes ShutdownEvent event) {
        clients.all().forEach(HttpClient::close);
    }
}
