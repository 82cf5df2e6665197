import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The framework's floor, for benchmarks/gateway-overhead.sh: a reverse proxy on the same Vert.x and Netty as the
 * gateway (compiled and run against the gateway build's own jars), with a pooled keep-alive client and as many event
 * loops as Quarkus gives the gateway, that does nothing else: no route table, no key, no rate limit, no identity, no
 * metrics, no Quarkus. What the gateway costs above it is Nexus's own work; what this costs above nginx is the floor
 * of a JVM proxy on Vert.x.
 *
 * Usage: java -cp <gateway-app>/lib/main/*:<dir of this class> VertxFloorProxy PORT UPSTREAM_HOST UPSTREAM_PORT
 */
public final class VertxFloorProxy {

    private VertxFloorProxy() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String upstreamHost = args[1];
        int upstreamPort = Integer.parseInt(args[2]);
        // Quarkus's default: two event loops per core.
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new AbstractVerticle() {
            private HttpClient client;

            @Override
            public void start() {
                client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                        new PoolOptions().setHttp1MaxSize(64));
                vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(in -> {
                    MultiMap headers = HttpHeaders.headers();
                    in.headers().forEach(header -> {
                        if (!header.getKey().equalsIgnoreCase("host")
                                && !header.getKey().equalsIgnoreCase("connection")) {
                            headers.add(header.getKey(), header.getValue());
                        }
                    });
                    RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(upstreamHost)
                            .setPort(upstreamPort).setURI(in.uri()).setHeaders(headers);
                    client.request(options).compose(HttpClientRequest::send).onSuccess(upstream -> {
                        HttpServerResponse out = in.response().setStatusCode(upstream.statusCode());
                        upstream.headers().forEach(header -> {
                            if (!header.getKey().equalsIgnoreCase("connection")) {
                                out.headers().add(header.getKey(), header.getValue());
                            }
                        });
                        upstream.pipeTo(out);
                    }).onFailure(failure -> in.response().setStatusCode(502).end());
                }).listen(port);
            }
        }, new DeploymentOptions().setInstances(loops));
    }
}
