package io.nexus.workflow.mcp;

import java.io.IOException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import reactor.core.publisher.Mono;

/**
 * One HTTP response of the Streamable HTTP transport, written on the request's own Vert.x context whatever thread the
 * SDK sends from. A request's answer goes out as plain JSON when it is the only message; once anything comes before it
 * (a progress notification, say) the response turns into an SSE stream that ends after the answer. A listening stream
 * ({@code GET}) is SSE from the start. A silent SSE stream gets a comment every {@code keepAlive}, so that idle
 * proxies (the gateway's included) keep it open.
 */
final class HttpStreamTransport implements McpStreamableServerTransport {

    private static final Logger LOG = Logger.getLogger(HttpStreamTransport.class);

    private final HttpServerResponse response;
    private final Context context;
    private final McpJsonMapper json;
    private final long keepAliveMs;
    private final boolean listening;
    /** Touched on the context only. */
    private boolean streaming;
    private boolean closed;
    /** Whether the request's response has been written. */
    private boolean answered;
    private long keepAliveTimer = -1;
    private long eventId;
    private Runnable onClose = () -> {
    };

    private HttpStreamTransport(HttpServerResponse response, Context context, McpJsonMapper json, Duration keepAlive,
            boolean listening) {
        this.response = response;
        this.context = context;
        this.json = json;
        this.keepAliveMs = keepAlive.toMillis();
        this.listening = listening;
        response.closeHandler(ignored -> close());
    }

    /** The response to one JSON-RPC request. */
    static HttpStreamTransport forRequest(HttpServerResponse response, Context context, McpJsonMapper json,
            Duration keepAlive) {
        return new HttpStreamTransport(response, context, json, keepAlive, false);
    }

    /** A {@code GET} stream for what the server sends on its own (list changes); open until the client leaves. */
    static HttpStreamTransport listening(HttpServerResponse response, Context context, McpJsonMapper json,
            Duration keepAlive) {
        HttpStreamTransport transport = new HttpStreamTransport(response, context, json, keepAlive, true);
        context.runOnContext(ignored -> transport.startStreaming());
        return transport;
    }

    /** Runs {@code action} once the response has ended or the client has gone (on the request's context). */
    void whenClosed(Runnable action) {
        this.onClose = action;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.create(sink -> context.runOnContext(ignored -> {
            try {
                write(message);
                sink.success();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("An MCP message could not be written: %s", e.getMessage());
                close();
                sink.success();
            }
        }));
    }

    /**
     * Sends {@code response} unless the request was already answered or the client has gone, then ends the response: a
     * request must never end as a silent 202 (that is a notification's answer).
     */
    void answerIfUnanswered(McpSchema.JSONRPCResponse response) {
        context.runOnContext(ignored -> {
            try {
                if (!answered) {
                    write(response);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("An MCP error response could not be written: %s", e.getMessage());
            }
            closeHere();
        });
    }

    private void write(McpSchema.JSONRPCMessage message) throws IOException {
        if (closed) {
            return;
        }
        String text = json.writeValueAsString(message);
        if (message instanceof McpSchema.JSONRPCResponse) {
            answered = true;
        }
        if (!streaming && !listening && message instanceof McpSchema.JSONRPCResponse) {
            closed = true;
            response.putHeader("Content-Type", "application/json").end(text);
            return;
        }
        startStreaming();
        response.write("id: " + (++eventId) + "\nevent: message\ndata: " + text + "\n\n");
        if (!listening && message instanceof McpSchema.JSONRPCResponse) {
            close();
        }
    }

    private void startStreaming() {
        if (streaming || closed) {
            return;
        }
        streaming = true;
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": stream open\n\n");
        keepAliveTimer = context.owner().setPeriodic(keepAliveMs, id -> context.runOnContext(ignored -> {
            if (!closed) {
                response.write(": keep-alive\n\n");
            }
        }));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        context.runOnContext(ignored -> closeHere());
    }

    private void closeHere() {
        if (keepAliveTimer >= 0) {
            context.owner().cancelTimer(keepAliveTimer);
            keepAliveTimer = -1;
        }
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        if (!response.ended() && !response.closed()) {
            if (!streaming && !response.headWritten()) {
                // The request ended without an answer (a notification-only exchange): nothing to say.
                response.setStatusCode(202).end();
            } else {
                response.end();
            }
        }
    }
}
