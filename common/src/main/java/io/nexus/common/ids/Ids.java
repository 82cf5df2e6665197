package io.nexus.common.ids;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Identifiers for everything Nexus creates: UUIDv7 (CONTRACT §4), time-ordered so that primary-key indexes stay
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
}
