package io.nexus.common.problem;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Recognises a failure caused by a connection that went away mid-request: a terminated PostgreSQL backend, a database
 * restart, a reset socket. Such a request is worth retrying, so it is answered 503 with {@code Retry-After}, not 500.
 * Hibernate Reactive reports a lost connection together with the failed rollback it causes, so suppressed exceptions
 * are searched as well as causes.
 */
final class ConnectionFailures {

    /** The reactive SQL client is optional: only the services that own a database have it (the gateway does not). */
    private static final boolean SQL_CLIENT_PRESENT = present("io.vertx.sqlclient.DatabaseException");
    private static final int MAX_DEPTH = 16;

    private ConnectionFailures() {
    }

    static boolean isConnectionLost(Throwable failure) {
        return search(failure, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static boolean search(Throwable failure, Set<Throwable> seen, int depth) {
        if (failure == null || depth > MAX_DEPTH || !seen.add(failure)) {
            return false;
        }
        if (failure instanceof SocketException || failure instanceof ClosedChannelException
                || SQL_CLIENT_PRESENT && SqlClientFailures.connectionLost(failure)) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (search(suppressed, seen, depth + 1)) {
                return true;
            }
        }
        return search(failure.getCause(), seen, depth + 1);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ConnectionFailures.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Loaded only when the SQL client is on the classpath. */
    private static final class SqlClientFailures {

        private SqlClientFailures() {
        }

        /**
         * SQLSTATE class 08 is a connection exception; 57P01 to 57P03 are an administrator's or a crash's shutdown
         * and "cannot connect now" (a server still starting).
         */
        static boolean connectionLost(Throwable failure) {
            if (failure instanceof ClosedConnectionException) {
                return true;
            }
            if (failure instanceof DatabaseException database && database.getSqlState() != null) {
                String state = database.getSqlState();
                return state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03");
            }
            return false;
        }
    }
}
