package io.nexus.workflow.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Reads an empty request body as {@code {}} for the methods marked {@link OptionalBody}. Request records are bound by
 * common's StrictJsonBodyReader, which refuses an empty body, as every other endpoint wants; a signal alone may come
 * without a body (docs/api.md §4), and this keeps the strict binding, unknown fields and all, for the bodies it has.
 */
@Provider
@OptionalBody
public class EmptyBodyAsEmptyObject implements ReaderInterceptor {

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body.length == 0 ? EMPTY_OBJECT : body));
        return context.proceed();
    }
}
