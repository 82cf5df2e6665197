package io.nexus.common.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemResponses;
import io.nexus.common.validation.ControlCharacters;
import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses, before anything else reads them, request targets whose decoded text no service can use: a malformed
 * percent-escape or invalid UTF-8 ({@code ?cursor=%ZZ}, {@code %E0%A4}) and control characters, which PostgreSQL
 * cannot store (NUL) or which no id, name or filter contains. Errors name {@code path} or the query parameter. Left to
 * the framework, the first is a 400 with an empty body and the second a 500 from the database.
 *
 * <p>Path segments take no control character at all; query values may carry tab, CR and LF (free-text filters).
 * Runs before {@code IdentityFilter}, whose own reading of the URI fails on a malformed escape.
 */
public class RequestTextFilter {

    static final String PATH = "path";

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 50)
    public Response check(HttpServerRequest request) {
        String target = request.uri();
        List<FieldError> errors = problems(target);
        if (errors.isEmpty()) {
            return null;
        }
        int queryStart = target.indexOf('?');
        return ProblemResponses.of(ProblemException.invalid(errors), queryStart < 0 ? target
                : target.substring(0, queryStart));
    }

    /** What is wrong with the text of a request target (path and query, as sent); empty when nothing is. */
    static List<FieldError> problems(String target) {
        return RequestTargets.isPlain(target) ? List.of() : decodedProblems(target);
    }

    /** {@link #problems} by decoding every part: what a target that is not plain needs. */
    static List<FieldError> decodedProblems(String target) {
        int queryStart = target.indexOf('?');
        List<FieldError> errors = new ArrayList<>();
        checkPath(queryStart < 0 ? target : target.substring(0, queryStart), errors);
        if (queryStart >= 0) {
            checkQuery(target.substring(queryStart + 1), errors);
        }
        return errors;
    }

    private static void checkPath(String rawPath, List<FieldError> errors) {
        for (String segment : rawPath.split("/", -1)) {
            String decoded;
            try {
                decoded = decode(segment, false);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(PATH, e.getMessage() + " in segment '" + segment + "'"));
                return;
            }
            if (decoded.chars().anyMatch(c -> ControlCharacters.isControl((char) c))) {
                errors.add(new FieldError(PATH, "must not contain control characters, got segment '"
                        + ControlCharacters.escape(decoded) + "'"));
                return;
            }
        }
    }

    private static void checkQuery(String rawQuery, List<FieldError> errors) {
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            String name;
            try {
                name = decode(rawName, true);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("query", e.getMessage() + " in parameter name '" + rawName + "'"));
                continue;
            }
            if (name.chars().anyMatch(c -> ControlCharacters.isControl((char) c))) {
                errors.add(new FieldError("query", "a parameter name must not contain control characters, got '"
                        + ControlCharacters.escape(name) + "'"));
                continue;
            }
            try {
                String value = decode(rawValue, true);
                if (value.chars().anyMatch(c -> ControlCharacters.isDisallowedInText((char) c))) {
                    errors.add(new FieldError(name, "must not contain control characters, got '"
                            + ControlCharacters.escape(truncate(value)) + "'"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(name, e.getMessage() + ", got '" + truncate(rawValue) + "'"));
            }
        }
    }

    /** An error naming {@code path} when a segment of {@code rawPath} cannot be decoded; empty when all can. */
    static List<FieldError> malformedPath(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            try {
                decode(segment, false);
            } catch (IllegalArgumentException e) {
                return List.of(new FieldError(PATH, e.getMessage() + " in segment '" + truncate(segment) + "'"));
            }
        }
        return List.of();
    }

    /** Only the parameters of {@code rawQuery} whose names or values cannot be decoded; empty when all can. */
    static List<FieldError> malformedQuery(String rawQuery) {
        List<FieldError> errors = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name;
            try {
                name = decode(rawName, true);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("query", e.getMessage() + " in parameter name '" + truncate(rawName) + "'"));
                continue;
            }
            try {
                decode(equals < 0 ? "" : pair.substring(equals + 1), true);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(ControlCharacters.escape(name), e.getMessage() + ", got '"
                        + truncate(pair.substring(equals + 1)) + "'"));
            }
        }
        return errors;
    }

    /** Percent-decodes {@code raw} as UTF-8, refusing malformed escapes and invalid UTF-8 instead of guessing. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0) {
            return plusIsSpace ? raw.replace('+', ' ') : raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 4);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("has a malformed percent-escape");
                }
                bytes.put((byte) (Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("has percent-escapes that are not valid UTF-8");
        }
    }

    private static String truncate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
