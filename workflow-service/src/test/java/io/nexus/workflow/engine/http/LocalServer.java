package io.nexus.workflow.engine.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 and a free port that records every connection and request it sees. */
final class LocalServer implements AutoCloseable {

    /** What the server received; headers copied because Vert.x recycles them. */
    record Received(String method, String uri, MultiMap headers, String body, String sni) {
    }

    final AtomicInteger connections = new AtomicInteger();
    final List<Received> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
    private final HttpServer server;
    final int port;

    private LocalServer(HttpServer server) {
        this.server = server;
        this.port = server.actualPort();
    }

    static LocalServer start(Vertx vertx) {
        return start(vertx, new HttpServerOptions());
    }

    static LocalServer start(Vertx vertx, HttpServerOptions options) {
        return start(vertx, options, "127.0.0.1");
    }

    static LocalServer start(Vertx vertx, HttpServerOptions options, String host) {
        LocalServer[] holder = new LocalServer[1];
        HttpServer server = vertx.createHttpServer(options.setHost(host).setPort(0));
        server.connectionHandler(connection -> holder[0].connections.incrementAndGet());
        server.requestHandler(request -> holder[0].dispatch(request));
        holder[0] = new LocalServer(await(server.listen()));
        return holder[0];
    }

    LocalServer route(String path, Handler<HttpServerRequest> handler) {
        routes.put(path, handler);
        return this;
    }

    private void dispatch(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
            String sni = request.isSSL() ? request.connection().indicatedServerName() : null;
            requests.add(new Received(request.method().name(), request.uri(), headers, body.toString(), sni));
            Handler<HttpServerRequest> handler = routes.get(request.path());
            if (handler == null) {
                request.response().setStatusCode(404).end();
            } else {
                handler.handle(request);
            }
        });
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        await(server.close());
    }

    /** A TCP server that accepts connections and lets the handler decide what (if anything) to answer. */
    static NetServer raw(Vertx vertx, Handler<io.vertx.core.net.NetSocket> handler) {
        return await(vertx.createNetServer().connectHandler(handler).listen(0, "127.0.0.1"));
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
