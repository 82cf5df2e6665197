package io.nexus.gateway.redis;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.nexus.gateway.eventloop.PerEventLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Redis for the steps of a request (the rate limit, the session touch): one long-lived pipelined connection per event
 * loop, opened from that loop ({@link PerEventLoop}), so that a request asks Redis and gets the answer on the thread
 * that handles it. Steps a request sends one after the other, before waiting for any, travel to Redis and back in the
 * same round trip.
 */
@Singleton
public class EventLoopRedis {

    private final PerEventLoop<PipelinedConnection> connections;

    /** {@code hosts}: the same Redis as the rest of the gateway (REDIS_URL), on clients of its own. */
    public EventLoopRedis(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        RedisOptions options = new RedisOptions().setConnectionString(hosts.split(",")[0].trim())
                .setMaxPoolSize(2)
                .setMaxPoolWaiting(1024);
        this.connections = new PerEventLoop<>(() -> new PipelinedConnection(Redis.createClient(vertx, options)));
    }

    /** Sends on the calling event loop's connection; the answer completes on that loop. */
    public Future<Response> send(Request request) {
        return connections.get().send(request);
    }

    void close(@Observes ShutdownEvent event) {
        connections.all().forEach(PipelinedConnection::close);
    }
}
