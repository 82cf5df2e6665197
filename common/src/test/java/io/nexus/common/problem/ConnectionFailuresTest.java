package io.nexus.common.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class ConnectionFailuresTest {

    @Test
    void aClosedConnectionAnywhereInTheCauseChainIsALostConnection() {
        Throwable wrapped = new IllegalStateException("commit failed",
                new RuntimeException(ClosedConnectionException.INSTANCE));
        assertTrue(ConnectionFailures.isConnectionLost(wrapped));
    }

    @Test
    void aResetSocketReportedWithTheRollbackItBrokeIsALostConnection() {
        // What Hibernate Reactive reported under pg_terminate_backend: the reset, then the failed rollback.
        Throwable composite = new CompositeException(new IllegalStateException("HR000090: Live transaction detected"),
                new SocketException("Connection reset"));
        assertTrue(ConnectionFailures.isConnectionLost(composite));
    }

    @Test
    void anAdministratorsTerminationOrAConnectionExceptionIsALostConnection() {
        assertTrue(ConnectionFailures.isConnectionLost(
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(ConnectionFailures.isConnectionLost(
                new RuntimeException(new PgException("connection failure", "FATAL", "08006", null))));
    }

    @Test
    void otherDatabaseErrorsAndPlainBugsAreNot() {
        assertFalse(ConnectionFailures.isConnectionLost(
                new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(ConnectionFailures.isConnectionLost(new NullPointerException()));
        assertFalse(ConnectionFailures.isConnectionLost(new IllegalStateException("no cause")));
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertFalse(ConnectionFailures.isConnectionLost(first));
    }
}
