package io.nexus.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed to the service that stops as soon as more than the limit has passed, for bodies that did not
 * announce their length (chunked). Going over the limit does not fail the stream (a pipe would then end the upstream
 * request, handing the service a truncated body as a complete one): it calls {@link #onOverflow} instead, which resets
 * the upstream request, so the service sees a broken connection and never a complete request.
 */
final class LimitedBody implements ReadStream<Buffer> {

    private final ReadStream<Buffer> body;
    private final long limit;
    private long seen;
    private boolean overflowed;
    private Runnable onOverflow = () -> { };

    LimitedBody(ReadStream<Buffer> body, long limit) {
        this.body = body;
        this.limit = limit;
    }

    /** What to do when the body goes over the limit: reset the upstream request it was streaming into. */
    void onOverflow(Runnable action) {
        this.onOverflow = action;
    }

    /** Whether the body went over the limit (the upstream request was reset for it). */
    boolean overflowed() {
        return overflowed;
    }

    long limit() {
        return limit;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        body.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            body.handler(null);
            return this;
        }
        body.handler(chunk -> {
            seen += chunk.length();
            if (seen > limit) {
                if (!overflowed) {
                    overflowed = true;
                    body.handler(null);
                    onOverflow.run();
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        body.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        body.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        body.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        body.endHandler(endHandler);
        return this;
    }
}
