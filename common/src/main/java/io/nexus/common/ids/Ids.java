package io.nexus.common.ids;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import io.nexus.common.problem.ProblemException;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Identifiers for everything Nexus creates: UUIDv7 (docs/api.md §4), time-ordered so that primary-key indexes stay
 * compact and ids sort by creation, opaque to clients.
 */
public final class Ids {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    public static UUID newUuid() {
        return GENERATOR.generate();
    }

    public static String newId() {
        return newUuid().toString();
    }

    /**
     * The UUID a path segment names, or a 404 naming {@code what}: a malformed id is simply not a resource here, and
     * answering it like any other unknown id tells a caller nothing about other tenants.
     */
    public static UUID parseOrNotFound(String id, String what) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ProblemException.notFound("no " + what + " '" + abbreviate(id) + "'");
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }
}
