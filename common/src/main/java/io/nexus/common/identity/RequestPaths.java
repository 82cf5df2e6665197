package io.nexus.common.identity;

import io.nexus.common.problem.FieldError;

/**
 * Checks a request's raw path and query before anything routes or authorises by them. A path is only accepted when
 * its normalised form (percent-decoded, dot segments removed) has the same segments as the raw one, so that whoever
 * routes by one form (the gateway's route table, the {@code /internal/} gate) and whoever routes by the other (a
 * service's router) see the same resource: encoded {@code /}, {@code \} and {@code .}, and dot segments, are refused,
 * as are malformed percent-escapes and control characters (NUL above all: PostgreSQL stores no NUL). Every request is
 * checked, so the scan allocates nothing unless it finds something.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /** Why {@code rawPath} cannot be routed as it stands, as a {@code path} field error; null when it can. */
    public static FieldError pathError(String rawPath) {
        int length = rawPath.length();
        int segmentStart = 0;
        for (int i = 0; i <= length; i++) {
            char c = i == length ? '/' : rawPath.charAt(i);
            if (c == '/') {
                if (isDotSegment(rawPath, segmentStart, i)) {
                    return new FieldError("path", "must not contain '.' or '..' segments");
                }
                segmentStart = i + 1;
            } else if (c == '%') {
                int decoded = escape(rawPath, i);
                if (decoded < 0) {
                    return new FieldError("path", "has a malformed percent-escape at character " + i);
                }
                if (isControl(decoded)) {
                    return new FieldError("path", "must not contain control characters (such as NUL)");
                }
                if (decoded == '/' || decoded == '\\' || decoded == '.') {
                    return new FieldError("path", "must not contain an encoded '/', '\\' or '.'");
                }
                i += 2;
            } else if (isControl(c) || c == '\\') {
                return new FieldError("path", "must not contain control characters or '\\'");
            }
        }
        return null;
    }

    /**
     * The first query parameter with a malformed percent-escape or an encoded control character, as a field error
     * naming it; null when there is none (or no query).
     */
    public static FieldError queryError(String rawQuery) {
        return rawQuery == null ? null : queryError(rawQuery, 0);
    }

    /** {@link #queryError(String)} for the query of a request target ({@code /path?query}), without cutting it out. */
    public static FieldError targetQueryError(String requestTarget) {
        int question = requestTarget.indexOf('?');
        return question < 0 ? null : queryError(requestTarget, question + 1);
    }

    private static FieldError queryError(String rawQuery, int from) {
        int length = rawQuery.length();
        int parameterStart = from;
        for (int i = from; i < length; i++) {
            char c = rawQuery.charAt(i);
            if (c == '&') {
                parameterStart = i + 1;
            } else if (c == '%') {
                int decoded = escape(rawQuery, i);
                if (decoded < 0) {
                    return new FieldError(parameterName(rawQuery, parameterStart), "has a malformed percent-escape");
                }
                if (isControl(decoded)) {
                    return new FieldError(parameterName(rawQuery, parameterStart),
                            "must not contain control characters (such as NUL)");
                }
                i += 2;
            } else if (isControl(c)) {
                return new FieldError(parameterName(rawQuery, parameterStart), "must not contain control characters");
            }
        }
        return null;
    }

    /** The parameter's name as sent (up to '='), or "query" when it has none. */
    private static String parameterName(String query, int start) {
        int end = start;
        while (end < query.length() && query.charAt(end) != '=' && query.charAt(end) != '&') {
            end++;
        }
        return end == start ? "query" : query.substring(start, end);
    }

    /** The byte a percent-escape at {@code at} stands for, or -1 when it is not two hex digits. */
    private static int escape(String text, int at) {
        if (at + 2 >= text.length()) {
            return -1;
        }
        int high = Character.digit(text.charAt(at + 1), 16);
        int low = Character.digit(text.charAt(at + 2), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    private static boolean isDotSegment(String path, int start, int end) {
        int length = end - start;
        return length == 1 && path.charAt(start) == '.'
                || length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
    }
}
