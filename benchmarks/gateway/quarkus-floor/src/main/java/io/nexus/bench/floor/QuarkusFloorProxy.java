package io.nexus.bench.floor;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;

/**
 * The Quarkus floor, for benchmarks/gateway-overhead.sh: a reverse proxy registered as one route on Quarkus's router,
 * as the gateway registers its own, that does what ../VertxFloorProxy.java does and nothing else (no route table, key,
 * rate limit, identity or metrics). What it costs above the bare Vert.x proxy is Quarkus's HTTP layer; what the gateway
 * costs above it is Nexus's own work.
 */
@Singleton
public class QuarkusFloorProxy {

    /** One pooled keep-alive client per event loop, so that a request and its upstream call stay on one thread. */
    private final ThreadLocal<HttpClient> clients;
    private final String upstreamHost;
    private final int upstreamPort;

    public QuarkusFloorProxy(Vertx vertx, @ConfigProperty(name = "floor.upstream.host") String upstreamHost,
            @ConfigProperty(name = "floor.upstream.port") int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.clients = ThreadLocal.withInitial(() -> vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(64)));
    }

    void register(@Observes Router router) {
        router.route("/api/*").handler(ctx -> forward(ctx.request()));
    }

    private void forward(HttpServerRequest in) {
        MultiMap headers = HttpHeaders.headers();
        in.headers().forEach(header -> {
            if (!header.getKey().equalsIgnoreCase("host") && !header.getKey().equalsIgnoreCase("connection")) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(upstreamHost)
                .setPort(upstreamPort).setURI(in.uri()).setHeaders(headers);
        clients.get().request(options).compose(HttpClientRequest::send).onSuccess(upstream -> {
            HttpServerResponse out = in.response().setStatusCode(upstream.statusCode());
            upstream.headers().forEach(header -> {
                if (!header.getKey().equalsIgnoreCase("connection")) {
                    out.headers().add(header.getKey(), header.getValue());
                }
            });
            upstream.pipeTo(out);
        }).onFailure(failure -> in.response().setStatusCode(502).end());
    }
}
