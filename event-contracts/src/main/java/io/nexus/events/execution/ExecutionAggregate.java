package io.nexus.events.execution;

import java.util.UUID;

/**
 * What every execution event says of its execution, so that an event is built from the execution itself (the
 * events' static {@code of} factories) instead of from loose values that could be passed in the wrong order.
 * Producers implement it on their own execution type; the events carry these values as strings on the wire.
 */
public interface ExecutionAggregate {

    UUID id();

    UUID tenantId();

    String workflow();

    int version();

    /** The channel the execution was started from ({@code api}, {@code cli} or {@code mcp}). */
    String channel();

    /** The caller's session, when the start came with one; null otherwise. */
    String sessionId();
}
