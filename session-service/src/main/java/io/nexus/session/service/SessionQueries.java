package io.nexus.session.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.session.repository.SessionExecutionRepository;
import io.nexus.session.repository.SessionRepository;
import io.nexus.session.repository.SessionRepository.SortKey;
import io.nexus.session.rest.dto.SessionExecutionView;
import io.nexus.session.rest.dto.SessionSummaryView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Lists, from the durable record: a tenant's sessions and a session's executions. Lists may be up to one write-behind
 * interval behind Redis (a second by default).
 */
@ApplicationScoped
public class SessionQueries {

    private final Pool pool;
    private final SessionRepository sessions;
    private final SessionExecutionRepository executions;
    private final SessionService service;

    public SessionQueries(Pool pool, SessionRepository sessions, SessionExecutionRepository executions,
            SessionService service) {
        this.pool = pool;
        this.sessions = sessions;
        this.executions = executions;
        this.service = service;
    }

    /** The caller's tenant's open ({@code active}) or ended sessions, most recently used first. */
    public Uni<Page<SessionSummaryView>> list(CallerIdentity caller, boolean active, String userId,
            PageRequest page) {
        SortKey after = page.afterKey(SESSION_LIST_KEY);
        return sessions.list(pool, UUID.fromString(caller.tenantId()), active, userId, after, page.fetchSize())
                .map(rows -> Page.of(rows, page, row -> row.lastActivity() + " " + row.id(), SessionViews::of));
    }

    /** The executions started in the caller's session, newest first; the session must be open (a use of it). */
    public Uni<Page<SessionExecutionView>> executions(CallerIdentity caller, String id, PageRequest page) {
        UUID after = page.afterUuid();
        return service.use(caller, id)
                .chain(() -> executions.list(pool, id, after, page.fetchSize()))
                .map(rows -> Page.of(rows, page, row -> row.executionId(), SessionViews::of));
    }

    /** The cursor key of the session list: the last activity and id of the last session served. */
    public static final PageRequest.CursorKey<SortKey> SESSION_LIST_KEY = SessionQueries::sortKey;

    private static SortKey sortKey(String cursor) {
        int space = cursor.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("not a session list cursor");
        }
        return new SortKey(Instant.parse(cursor.substring(0, space)), cursor.substring(space + 1));
    }
}
