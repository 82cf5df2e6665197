package io.nexus.workflow.mcp;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The workflow tool calls in flight on this replica, by MCP session and JSON-RPC id, so that
 * {@code notifications/cancelled} cancels the execution a call started. A cancellation can arrive before the execution
 * has an id (while its start still waits as a sync start): the call is marked, and cancelled as soon as the id is
 * known.
 */
@ApplicationScoped
class McpCancellations {

    private final Map<Key, Call> calls = new ConcurrentHashMap<>();

    private record Key(String mcpSession, String requestId) {
    }

    /** One tool call: its execution once started, and whether the client cancelled it. */
    static final class Call {
        private final Consumer<UUID> cancel;
        private UUID execution;
        private boolean cancelled;

        private Call(Consumer<UUID> cancel) {
            this.cancel = cancel;
        }

        /** The execution started: cancels it at once when the client already asked to. */
        synchronized void started(UUID id) {
            execution = id;
            if (cancelled) {
                cancel.accept(id);
            }
        }

        synchronized void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (execution != null) {
                cancel.accept(execution);
            }
        }
    }

    /** Registers a call; {@code cancel} cancels its execution (given the execution's id). */
    Call register(McpCaller caller, Consumer<UUID> cancel) {
        Call call = new Call(cancel);
        calls.put(key(caller.mcpSession(), caller.requestId()), call);
        return call;
    }

    void forget(McpCaller caller) {
        calls.remove(key(caller.mcpSession(), caller.requestId()));
    }

    /** {@code notifications/cancelled} for {@code requestId} of {@code mcpSession}; unknown ids are ignored. */
    void cancel(String mcpSession, Object requestId) {
        Call call = calls.get(key(mcpSession, requestId));
        if (call != null) {
            call.cancel();
        }
    }

    /** JSON-RPC ids are strings or numbers; a number may arrive as an Integer once and a Long the next time. */
    private static Key key(String mcpSession, Object requestId) {
        return new Key(mcpSession, String.valueOf(requestId));
    }
}
