package io.nexus.gateway.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * One event loop's connection to Redis: opened on first use, pipelined (every request of the loop shares it; a
 * connection per request costs more than the step itself), dropped and reopened after the connection fails.
 */
final class PipelinedConnection {

    private final Redis client;
    private Future<RedisConnection> connection;

    PipelinedConnection(Redis client) {
        this.client = client;
    }

    synchronized Future<Response> send(Request request) {
        Future<RedisConnection> current = connection();
        return current.compose(open -> open.send(request)).onFailure(failure -> {
            // An error reply (NOSCRIPT, a failing script) says nothing about the connection, and dropping it would
            // fail every other request's step in flight on it.
            if (!isErrorReply(failure)) {
                drop(current); // broken, unreachable or stuck: reconnect on the next request
            }
        });
    }

    /** Redis answered with an error (its error replies arrive as failures that are also responses). */
    static boolean isErrorReply(Throwable failure) {
        return failure instanceof Response reply && reply.type() == ResponseType.ERROR;
    }

    void close() {
        client.close();
    }

    private Future<RedisConnection> connection() {
        if (connection == null) {
            Future<RedisConnection> opening = client.connect();
            connection = opening;
            opening.onSuccess(open -> open.exceptionHandler(failure -> drop(opening))
                    .endHandler(ended -> drop(opening)));
        }
        return connection;
    }

    private synchronized void drop(Future<RedisConnection> failed) {
        if (connection == failed) {
            connection = null;
            failed.onSuccess(RedisConnection::close);
        }
    }
}
