package io.nexus.workflow.definition;

import java.util.Locale;
import java.util.Optional;

/** The node types of docs/api.md §5, by their wire names. */
public enum NodeType {
    TRANSFORM, CONDITION, HTTP, DELAY, WAIT, SUBWORKFLOW, SESSION, EVENT, FAIL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeType> fromWire(String wire) {
        for (NodeType type : values()) {
            if (type.wire().equals(wire)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Side-effect-free nodes commit together with the next durable boundary instead of on their own. */
    public boolean pure() {
        return this == TRANSFORM || this == CONDITION;
    }
}
