package io.nexus.session.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.session.SessionKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The Lua scripts of the session store, called by their SHA. Redis forgets scripts when it restarts (a flush keeps
 * them); a batch that meets NOSCRIPT loads every script again and runs once more.
 */
@ApplicationScoped
public class RedisScripts {

    private static final Logger LOG = Logger.getLogger(RedisScripts.class);

    public enum Script {
        TOUCH(SessionKeys.TOUCH_SCRIPT),
        CREATE(load("/lua/session-create.lua")),
        MERGE(load("/lua/session-merge.lua")),
        CLOSE(load("/lua/session-close.lua"));

        private final String source;
        private volatile String sha;

        Script(String source) {
            this.source = source;
        }
    }

    private final Redis redis;

    public RedisScripts(Redis redis) {
        this.redis = redis;
    }

    /** An EVALSHA of {@code script}; keys first, then arguments. */
    public Request call(Script script, List<String> keys, List<String> args) {
        Request request = Request.cmd(Command.EVALSHA).arg(script.sha == null ? "0" : script.sha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /** Sends the requests {@code build} makes as one pipelined batch; reloads the scripts once if Redis lost them. */
    public Uni<List<Response>> batch(Function<RedisScripts, List<Request>> build) {
        return loadedScripts()
                .chain(ignored -> redis.batch(build.apply(this)))
                .onFailure(RedisScripts::isNoScript).recoverWithUni(failure -> reload()
                        .chain(ignored -> redis.batch(build.apply(this))))
                .onFailure().transform(RedisScripts::unavailable);
    }

    /** Redis down or failing is the client's 503 (retry shortly), not a 500; the cause is logged once here. */
    private static Throwable unavailable(Throwable failure) {
        LOG.warnf("Redis failed a session step: %s", failure.getMessage());
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                "sessions cannot be reached right now (their store is unavailable); retry shortly");
    }

    private Uni<Void> loadedScripts() {
        for (Script script : Script.values()) {
            if (script.sha == null) {
                return reload();
            }
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> reload() {
        List<Uni<Void>> loads = Arrays.stream(Script.values())
                .<Uni<Void>> map(script -> redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source))
                        .invoke(sha -> script.sha = sha.toString())
                        .replaceWithVoid())
                .toList();
        return Uni.join().all(loads).andFailFast().replaceWithVoid();
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String load(String resource) {
        try (InputStream in = RedisScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
