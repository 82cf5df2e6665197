package io.nexus.common.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.nexus.common.problem.ProblemException;

/**
 * Refuses a request body that is not valid UTF-8 (docs/api.md §4.1) before any body reader decodes it. Jackson reads
 * an overlong {@code C0 AF} as {@code /} and a JDK decoder turns other bad bytes into U+FFFD: either way the stored
 * text is not what the client sent. Body readers run where the REST layer lets them block (a worker thread, or over a
 * body already buffered), and a body is at most {@code quarkus.http.limits.max-body-size}: reading it whole here is
 * what the JSON readers do anyway.
 */
@Provider
public class Utf8BodyInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        checkUtf8(body);
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    static void checkUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body);
        try {
            decoder.decode(bytes);
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the request body is not valid UTF-8 (at byte " + bytes.position() + ")");
        }
    }
}
