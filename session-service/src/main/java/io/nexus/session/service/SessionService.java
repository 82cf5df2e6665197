package io.nexus.session.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.session.SessionClosed;
import io.nexus.events.session.SessionCreated;
import io.nexus.session.config.SessionConfig;
import io.nexus.session.domain.Session;
import io.nexus.session.domain.SessionData;
import io.nexus.session.domain.SessionIds;
import io.nexus.session.repository.SessionRepository;
import io.nexus.session.repository.SessionStore;
import io.nexus.session.repository.SessionStore.Merge;
import io.nexus.session.repository.TenantQuotaRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Opens, uses, merges into and closes sessions. Redis answers every use; PostgreSQL records creations and endings in
 * the transaction of their event, and learns of uses from {@link SessionWriteBehind}. A session Redis lost (flush,
 * restart) is restored from PostgreSQL by the first use that misses it.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    private final Pool pool;
    private final SessionStore store;
    private final SessionRepository sessions;
    private final TenantQuotaRepository quotas;
    private final OutboxWriter outbox;
    private final SessionConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public SessionService(Pool pool, SessionStore store, SessionRepository sessions, TenantQuotaRepository quotas,
            OutboxWriter outbox, SessionConfig config, ObjectMapper mapper, Vertx vertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.store = store;
        this.sessions = sessions;
        this.quotas = quotas;
        this.outbox = outbox;
        this.config = config;
        this.mapper = mapper;
    }

    /** Opens a session for the caller's tenant, within its concurrentSessions quota. */
    public Uni<Session> create(CallerIdentity caller, NewSession request) {
        int ttl = ttlSeconds(request.ttlSeconds());
        ObjectNode data = request.data() == null ? mapper.createObjectNode() : request.data();
        Map<String, String> fields = SessionData.fields(mapper, data);
        long bytes = SessionData.bytes(SessionData.size(fields));
        if (bytes > config.maxDataBytes()) {
            throw tooLarge(bytes);
        }
        Instant now = now();
        UUID tenant = UUID.fromString(caller.tenantId());
        Session session = new Session(SessionIds.newId(), caller.tenantId(), request.userId(),
                List.of(caller.channel().label()), SessionData.assemble(fields), 0, ttl, now, now,
                now.plusSeconds(ttl));
        return pool.withTransaction(tx -> sessions.lockTenant(tx, tenant)
                .chain(() -> quotas.concurrentSessions(tx, tenant, config.fallbackConcurrentSessions()))
                .chain(quota -> sessions.openSessions(tx, tenant).invoke(open -> {
                    if (open.count() >= quota) {
                        throw quotaExceeded(quota, open.soonestExpiry(), now);
                    }
                }))
                .chain(() -> sessions.insert(tx, session))
                .chain(() -> outbox.append(tx, List.of(new SessionCreated(session.id(), session.tenantId(),
                        session.userId(), caller.channel().label(), session.createdAt(), session.expiresAt())))))
                .chain(() -> store.put(session, fields, ttl * 1000L)
                        .onFailure().recoverWithItem(failure -> {
                            // Recorded in PostgreSQL: the first use restores it into Redis.
                            LOG.warnf("Session %s is recorded but Redis did not take it (%s); its first use will "
                                    + "restore it", session.id(), failure.getMessage());
                            return false;
                        }))
                .replaceWith(session);
    }

    /** One use of the caller's session: records the channel, slides the expiry, answers the session. */
    public Uni<Session> use(CallerIdentity caller, String id) {
        return use(caller, id, true);
    }

    private Uni<Session> use(CallerIdentity caller, String id, boolean mayRestore) {
        return store.use(id, caller.tenantId(), caller.channel().label(), now()).chain(use -> switch (use.found()) {
            case LIVE -> Uni.createFrom().item(use.session());
            case OTHER_TENANT -> Uni.createFrom().failure(notFound(id));
            case NOT_IN_REDIS -> mayRestore
                    ? restore(caller, id).chain(restored -> restored ? use(caller, id, false)
                            : Uni.createFrom().failure(notFound(id)))
                    : Uni.createFrom().failure(notFound(id));
        });
    }

    /**
     * Merges {@code patch} into the session's data (RFC 7386) atomically, if its data is at {@code requiredVersion}
     * (null: whatever it is); the session after the merge.
     */
    public Uni<Session> merge(CallerIdentity caller, String id, ObjectNode patch, Long requiredVersion) {
        return merge(caller, id, new MergePlan(mapper, patch), requiredVersion, 1, true);
    }

    private Uni<Session> merge(CallerIdentity caller, String id, MergePlan plan, Long requiredVersion, int attempt,
            boolean mayRestore) {
        return store.members(id, plan.fieldsToRead())
                .chain(current -> store.merge(id, caller.tenantId(), caller.channel().label(), now(),
                        requiredVersion, plan.steps(current), config.maxDataBytes()))
                .chain(merge -> switch (merge.outcome()) {
                    case MERGED -> Uni.createFrom().item(merge.session());
                    case OTHER_TENANT -> Uni.createFrom().failure(notFound(id));
                    case NOT_IN_REDIS -> mayRestore
                            ? restore(caller, id).chain(restored -> restored
                                    ? merge(caller, id, plan, requiredVersion, attempt, false)
                                    : Uni.createFrom().failure(notFound(id)))
                            : Uni.createFrom().failure(notFound(id));
                    case VERSION_MISMATCH -> Uni.createFrom().failure(versionMismatch(merge, requiredVersion));
                    case TOO_LARGE -> Uni.createFrom().failure(tooLarge(merge.bytes()));
                    case MEMBER_CHANGED -> attempt < config.mergeAttempts()
                            ? pause(attempt).chain(() -> merge(caller, id, plan, requiredVersion, attempt + 1,
                                    mayRestore))
                            : Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT,
                                    "the session's data kept changing while merging; retry"));
                });
    }

    /**
     * A random pause before merging again, growing with the attempts, so that writers contending for one member
     * spread out instead of colliding again in lockstep. A Vert.x timer: it resumes on the request's own context.
     */
    private Uni<Void> pause(int attempt) {
        long millis = 1 + ThreadLocalRandom.current().nextLong(Math.min(50, 2L * attempt));
        return Uni.createFrom().emitter(done -> vertx.setTimer(millis, ignored -> done.complete(null)));
    }

    /** Closes the caller's session: recorded ended (with its event), then gone from Redis. */
    public Uni<Void> close(CallerIdentity caller, String id) {
        UUID tenant = UUID.fromString(caller.tenantId());
        Instant now = now();
        return use(caller, id)
                .chain(() -> pool.withTransaction(tx -> sessions.close(tx, id, tenant, now)
                        .chain(ended -> ended.isEmpty() ? Uni.createFrom().failure(notFound(id))
                                : outbox.append(tx, List.of(new SessionClosed(id, caller.tenantId(),
                                        ended.get().endedAt()))))))
                .chain(() -> store.remove(id, caller.tenantId()));
    }

    /**
     * Puts the caller's session back into Redis from its durable record if that says it is still open; false when
     * there is nothing to restore (unknown, ended, expired or another tenant's).
     */
    private Uni<Boolean> restore(CallerIdentity caller, String id) {
        Instant now = now();
        return sessions.findOpen(pool, id, UUID.fromString(caller.tenantId())).chain(found -> {
            if (found.isEmpty() || !found.get().expiresAt().isAfter(now)) {
                return Uni.createFrom().item(false);
            }
            Session session = found.get();
            Map<String, String> fields = SessionData.fields(mapper, parseData(session.data()));
            long remaining = Duration.between(now, session.expiresAt()).toMillis();
            LOG.infof("Restoring session %s from PostgreSQL into Redis (%d ms left)", id, remaining);
            return store.put(session, fields, remaining).replaceWith(true);
        });
    }

    private ObjectNode parseData(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("a session's recorded data is always a JSON object", e);
        }
    }

    private int ttlSeconds(Integer requested) {
        long max = config.maxTtl().toSeconds();
        if (requested == null) {
            return (int) Math.min(config.defaultTtl().toSeconds(), max);
        }
        if (requested < 1 || requested > max) {
            throw ProblemException.invalid(List.of(new FieldError("ttlSeconds",
                    "must be between 1 and " + max + " (the tenant's maximum), got " + requested)));
        }
        return requested;
    }

    /** Milliseconds, as Redis keeps the session's times. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static ProblemException notFound(String id) {
        return ProblemException.notFound("no session '" + id + "' (unknown, expired, closed or not this tenant's)");
    }

    private ProblemException tooLarge(long bytes) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "data would be " + bytes
                + " bytes serialized; the limit is " + config.maxDataBytes() + " bytes; nothing was stored",
                List.of(new FieldError("data", "larger than " + config.maxDataBytes() + " bytes")), Map.of());
    }

    private static ProblemException quotaExceeded(long quota, Instant soonestExpiry, Instant now) {
        long retryAfter = soonestExpiry == null ? 1
                : Math.max(1, (Duration.between(now, soonestExpiry).toMillis() + 999) / 1000);
        return new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant has " + quota
                + " open sessions, its concurrentSessions quota; close one or retry after " + retryAfter + " s",
                null, Map.of("Retry-After", Long.toString(retryAfter)));
    }

    private static ProblemException versionMismatch(Merge merge, Long required) {
        return new ProblemException(ProblemType.PRECONDITION_FAILED, "the session's data is at version "
                + merge.version() + ", not " + required + " (If-Match); read it again and retry", null,
                merge.session() == null ? Map.of() : Map.of("ETag", SessionViews.etag(merge.session())));
    }
}
