package io.nexus.session.service;

import io.nexus.session.domain.Session;
import io.nexus.session.domain.SessionExecution;
import io.nexus.session.domain.SessionSummary;
import io.nexus.session.rest.dto.SessionExecutionView;
import io.nexus.session.rest.dto.SessionSummaryView;
import io.nexus.session.rest.dto.SessionView;

/** Sessions as the API shows them. */
public final class SessionViews {

    private SessionViews() {
    }

    public static SessionView of(Session session) {
        return new SessionView(session.id(), session.tenantId(), session.userId(), session.channels(),
                session.data(), session.createdAt(), session.lastActivity(), session.expiresAt());
    }

    /** The strong ETag of the session's data: its version. */
    public static String etag(Session session) {
        return "\"" + session.version() + "\"";
    }

    public static SessionSummaryView of(SessionSummary session) {
        return new SessionSummaryView(session.id(), session.userId(), session.channels(),
                session.active() ? "active" : session.endReason(), session.createdAt(), session.lastActivity(),
                session.expiresAt(), session.endedAt());
    }

    public static SessionExecutionView of(SessionExecution execution) {
        return new SessionExecutionView(execution.executionId(), execution.workflow(), execution.version(),
                execution.channel(), execution.parentExecutionId(), execution.status(), execution.startedAt(),
                execution.finishedAt());
    }
}
