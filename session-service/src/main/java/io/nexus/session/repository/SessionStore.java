package io.nexus.session.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.session.SessionKeys;
import io.nexus.session.config.SessionConfig;
import io.nexus.session.domain.MergeStep;
import io.nexus.session.domain.Session;
import io.nexus.session.domain.SessionData;
import io.nexus.session.repository.RedisScripts.Script;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The live sessions, in Redis (the hot store): one hash per session, expiring by Redis TTL (layout in
 * {@link SessionKeys}). Every use is one pipelined batch: the step itself (if any), then the touch that records the
 * channel, slides the expiry and answers the session as it is after both.
 */
@ApplicationScoped
public class SessionStore {

    static final String TENANT = "tenant";
    static final String USER = "user";
    static final String CHANNELS = "channels";
    static final String CREATED = "created";
    static final String ACTIVITY = "activity";
    static final String TTL = "ttl";
    static final String VERSION = "version";
    static final String SIZE = "size";

    /** What a use of a session found. */
    public enum Found {
        LIVE, NOT_IN_REDIS, OTHER_TENANT
    }

    /** A use of a session: what was found and, when live, the session after the use. */
    public record Use(Found found, Session session) {
    }

    /** The answer of a merge: its outcome, the version it made or met, the size it would have had, the session. */
    public record Merge(MergeOutcome outcome, long version, long bytes, Session session) {
    }

    public enum MergeOutcome {
        MERGED, NOT_IN_REDIS, OTHER_TENANT, VERSION_MISMATCH, MEMBER_CHANGED, TOO_LARGE
    }

    private final RedisScripts scripts;
    private final String prefix;
    private final String dirty;

    public SessionStore(RedisScripts scripts, SessionConfig config) {
        this.scripts = scripts;
        this.prefix = config.keyPrefix();
        this.dirty = SessionKeys.dirty(prefix);
    }

    /**
     * Writes a whole session (new, or restored from PostgreSQL) unless it is in Redis already, expiring after
     * {@code remainingMillis}; true when written.
     */
    public Uni<Boolean> put(Session session, Map<String, String> dataFields, long remainingMillis) {
        List<String> args = new ArrayList<>(16 + dataFields.size() * 2);
        args.add(Long.toString(Math.max(1, remainingMillis)));
        addPair(args, TENANT, session.tenantId());
        addPair(args, USER, session.userId() == null ? "" : session.userId());
        addPair(args, CHANNELS, String.join(",", session.channels()));
        addPair(args, CREATED, Long.toString(session.createdAt().toEpochMilli()));
        addPair(args, ACTIVITY, Long.toString(session.lastActivity().toEpochMilli()));
        addPair(args, TTL, Integer.toString(session.ttlSeconds()));
        addPair(args, VERSION, Long.toString(session.version()));
        addPair(args, SIZE, Long.toString(SessionData.size(dataFields)));
        dataFields.forEach((field, value) -> addPair(args, field, value));
        return scripts.batch(s -> List.of(s.call(Script.CREATE, List.of(key(session.id())), args)))
                .map(answers -> answers.get(0).toLong() == 1);
    }

    /** One use of the session by {@code tenant} over {@code channel}: touch it and read it. */
    public Uni<Use> use(String id, String tenant, String channel, Instant now) {
        return scripts.batch(s -> List.of(touchAndRead(s, id, tenant, channel, now))).map(answers -> {
            Response answer = answers.get(0);
            long touched = answer.get(0).toLong();
            if (touched == SessionKeys.OTHER_TENANT) {
                return new Use(Found.OTHER_TENANT, null);
            }
            Optional<Session> session = touched == SessionKeys.TOUCHED ? session(id, pairs(answer.get(1)))
                    : Optional.empty();
            return session.map(live -> new Use(Found.LIVE, live))
                    .orElseGet(() -> new Use(Found.NOT_IN_REDIS, null));
        });
    }

    /** The current JSON text of the given data fields (null where absent), for merges of nested members. */
    public Uni<Map<String, String>> members(String id, List<String> fields) {
        if (fields.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Request request = Request.cmd(Command.HMGET).arg(key(id));
        fields.forEach(request::arg);
        return scripts.batch(s -> List.of(request)).map(answers -> {
            Response values = answers.get(0);
            Map<String, String> members = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                Response value = values.get(i);
                members.put(fields.get(i), value == null ? null : value.toString());
            }
            return members;
        });
    }

    /**
     * Applies {@code steps} atomically if the session is {@code tenant}'s, its version is {@code requiredVersion}
     * (null: any) and the data stays within {@code maxBytes}; then touches and reads it, all in one batch.
     */
    public Uni<Merge> merge(String id, String tenant, String channel, Instant now, Long requiredVersion,
            List<MergeStep> steps, int maxBytes) {
        List<String> args = new ArrayList<>(3 + steps.size() * 4);
        args.add(tenant);
        args.add(requiredVersion == null ? "" : requiredVersion.toString());
        args.add(Integer.toString(maxBytes));
        for (MergeStep step : steps) {
            args.add(step.kind().code());
            args.add(step.field());
            args.add(step.value() == null ? "" : step.value());
            args.add(step.expected() == null ? "" : step.expected());
        }
        return scripts.batch(s -> List.of(s.call(Script.MERGE, List.of(key(id)), args),
                touchAndRead(s, id, tenant, channel, now)))
                .map(answers -> {
                    Response merged = answers.get(0);
                    long code = merged.get(0).toLong();
                    long number = merged.size() > 1 ? merged.get(1).toLong() : 0;
                    Response read = answers.get(1);
                    Session session = (code == 1 || code == -2) && read.get(0).toLong() == SessionKeys.TOUCHED
                            ? session(id, pairs(read.get(1))).orElse(null)
                            : null;
                    MergeOutcome outcome = switch ((int) code) {
                        case 1 -> MergeOutcome.MERGED;
                        case 0 -> MergeOutcome.NOT_IN_REDIS;
                        case -1 -> MergeOutcome.OTHER_TENANT;
                        case -2 -> MergeOutcome.VERSION_MISMATCH;
                        case -3 -> MergeOutcome.MEMBER_CHANGED;
                        default -> MergeOutcome.TOO_LARGE;
                    };
                    if (outcome == MergeOutcome.MERGED && session == null) {
                        outcome = MergeOutcome.NOT_IN_REDIS; // closed between the merge and the read
                    }
                    return new Merge(outcome, outcome == MergeOutcome.TOO_LARGE ? 0 : number,
                            outcome == MergeOutcome.TOO_LARGE ? number : 0, session);
                });
    }

    /** Removes the session if it is {@code tenant}'s. */
    public Uni<Void> remove(String id, String tenant) {
        return scripts.batch(s -> List.of(s.call(Script.CLOSE, List.of(key(id)), List.of(tenant))))
                .replaceWithVoid();
    }

    /** Takes up to {@code count} ids of sessions used since they were last written to PostgreSQL. */
    public Uni<List<String>> takeUsed(int count) {
        return scripts.batch(s -> List.of(Request.cmd(Command.SPOP).arg(dirty).arg(count))).map(answers -> {
            List<String> ids = new ArrayList<>();
            Response popped = answers.get(0);
            if (popped != null) {
                popped.forEach(id -> ids.add(id.toString()));
            }
            return ids;
        });
    }

    /** Puts ids back into the set of sessions to write, after a write-behind that failed. */
    public Uni<Void> markUsed(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Request request = Request.cmd(Command.SADD).arg(dirty);
        ids.forEach(request::arg);
        return scripts.batch(s -> List.of(request)).replaceWithVoid();
    }

    /** The live state of each of {@code ids} (absent: no longer in Redis), in one batch. */
    public Uni<Map<String, Session>> live(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return scripts.batch(s -> ids.stream().<Request> map(id -> Request.cmd(Command.HGETALL).arg(key(id))).toList())
                .map(answers -> {
                    Map<String, Session> sessions = new LinkedHashMap<>();
                    for (int i = 0; i < ids.size(); i++) {
                        session(ids.get(i), map(answers.get(i))).ifPresent(live -> sessions.put(live.id(), live));
                    }
                    return sessions;
                });
    }

    /** The shared touch script, asked to answer the session's hash too: a use and its read in one step. */
    private Request touchAndRead(RedisScripts s, String id, String tenant, String channel, Instant now) {
        return s.call(Script.TOUCH, List.of(key(id), dirty),
                List.of(tenant, channel, Long.toString(now.toEpochMilli()), id, "read"));
    }

    private String key(String id) {
        return SessionKeys.session(prefix, id);
    }

    private static void addPair(List<String> args, String field, String value) {
        args.add(field);
        args.add(value);
    }

    /** A hash as HGETALL answers it to a RESP3 client: a map. */
    private static Map<String, String> map(Response hash) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (hash != null && hash.size() > 0) {
            for (String field : hash.getKeys()) {
                fields.put(field, hash.get(field).toString());
            }
        }
        return fields;
    }

    /** A hash as a script answers it: field, value, field, value… */
    private static Map<String, String> pairs(Response flat) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return fields;
    }

    /** The session a hash holds; empty when the hash is gone or incomplete (expired while being read). */
    private static Optional<Session> session(String id, Map<String, String> fields) {
        String tenant = fields.get(TENANT);
        String ttl = fields.get(TTL);
        String activity = fields.get(ACTIVITY);
        if (tenant == null || ttl == null || activity == null) {
            return Optional.empty();
        }
        Instant lastActivity = Instant.ofEpochMilli(Long.parseLong(activity));
        int ttlSeconds = Integer.parseInt(ttl);
        String user = fields.get(USER);
        String channels = fields.getOrDefault(CHANNELS, "");
        return Optional.of(new Session(id, tenant, user == null || user.isEmpty() ? null : user,
                channels.isEmpty() ? List.of() : Arrays.asList(channels.split(",")), SessionData.assemble(fields),
                Long.parseLong(fields.getOrDefault(VERSION, "0")), ttlSeconds,
                Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault(CREATED, activity))), lastActivity,
                lastActivity.plusSeconds(ttlSeconds)));
    }
}
