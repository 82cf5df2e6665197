package io.nexus.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed to the service that fails with {@link BodyTooLargeException} as soon as more than the limit
 * has passed, for bodies that did not announce their length (chunked).
 */
final class LimitedBody implements ReadStream<Buffer> {

    private final ReadStream<Buffer> body;
    private final long limit;
    private long seen;
    private Handler<Throwable> exceptionHandler;

    LimitedBody(ReadStream<Buffer> body, long limit) {
        this.body = body;
        this.limit = limit;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
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
                body.handler(null);
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new BodyTooLargeException(limit));
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
