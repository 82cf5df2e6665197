package io.nexus.gateway.session;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.TimeoutException;


import io.nexus.common.http.Channel;
import io.nexus.common.session.SessionKeys;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.redis.EventLoopRedis;
import io.nexus.gateway.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Touches a session in Redis with the script session-service uses too ({@link SessionKeys#TOUCH_SCRIPT}), so that
 * both mean the same by "a use": the channel is recorded, the expiry slid, the session marked for write-behind.
 * Sent on the request's own event loop's pipelined connection ({@link EventLoopRedis}); a timer on that loop bounds
 * the wait.
 */
@Singleton
public class SessionToucher {

    private static final LuaScript TOUCH = new LuaScript(SessionKeys.TOUCH_SCRIPT);

    private final Vertx vertx;
    private final EventLoopRedis redis;
    private final String keyPrefix;
    private final long timeoutMs;

    public SessionToucher(Vertx vertx, EventLoopRedis redis, GatewayConfig config) {
        this.vertx = vertx;
        this.redis = redis;
        this.keyPrefix = config.sessions().keyPrefix();
        this.timeoutMs = config.sessions().redisTimeout().toMillis();
    }

    /**
     * What Redis did with the session; fails when Redis did not answer in time or the script failed. The touch is on
     * its way to Redis when this returns.
     */
    public Future<SessionTouch> touch(String tenantId, Channel channel, String sessionId) {
        Promise<SessionTouch> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(
                new TimeoutException("Redis did not touch the session within " + timeoutMs + " ms")));
        List<String> keys = List.of(SessionKeys.session(keyPrefix, sessionId), SessionKeys.dirty(keyPrefix));
        List<String> args = List.of(tenantId, channel.label(), Long.toString(System.currentTimeMillis()), sessionId);
        TOUCH.run(redis, keys, args).onComplete(answer -> {
            vertx.cancelTimer(timer);
            if (answer.failed()) {
                result.tryFail(answer.cause());
                return;
            }
            try {
                result.tryComplete(SessionTouch.of(answer.result().toLong()));
            } catch (RuntimeException e) {
                result.tryFail(e);
            }
        });
        return result.future();
    }
}
