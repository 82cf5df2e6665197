package io.nexus.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Scripts against the real Redis (127.0.0.1:6379); each script is new to Redis and touches no key. */
class LuaScriptTest {

    private Vertx vertx;
    private EventLoopRedis redis;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        redis = new EventLoopRedis(vertx, "redis://127.0.0.1:6379");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aScriptRedisHasNotSeenIsSentWholeOnceThenRunByItsSha() throws Exception {
        LuaScript script = new LuaScript("-- " + UUID.randomUUID() + "\nreturn ARGV[1] .. '@' .. KEYS[1]");
        assertEquals(0, scriptExists(script), "a script Redis has never seen");
        assertEquals("a@k", await(script.run(redis, List.of("k"), List.of("a"))).toString());
        assertEquals(1, scriptExists(script), "EVAL cached it under the SHA-1 computed here");
        assertEquals("b@k", await(script.run(redis, List.of("k"), List.of("b"))).toString());
    }

    @Test
    void anErrorReplyFailsTheStepButKeepsThePipelinedConnection() throws Exception {
        long connection = await(redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong();
        LuaScript failing = new LuaScript("-- " + UUID.randomUUID() + "\nreturn redis.error_reply('BROKEN on purpose')");
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> await(failing.run(redis, List.of(), List.of())));
        assertTrue(failure.getCause().getMessage().startsWith("BROKEN"), failure.getCause().getMessage());
        assertEquals(connection, await(redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong(),
                "other requests' steps in flight on the connection are not failed with it");
    }

    private long scriptExists(LuaScript script) throws Exception {
        return await(redis.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(script.sha()))).get(0).toLong();
    }

    private static Response await(Future<Response> answer) throws Exception {
        return answer.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
