package io.nexus.common.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.nexus.common.problem.FieldError;

/**
 * Checks a request target against the URI grammar (RFC 3986) before anything decodes it: only the characters a URI
 * may carry, every {@code %} followed by two hex digits, and percent-escapes that decode to UTF-8. Vert.x and the REST
 * layer would otherwise answer an empty 400, decode bytes to U+FFFD, or pass raw bytes on as characters.
 */
public final class RequestTargets {

    private static final String PATH_CHARACTERS = "-._~!$&'()*+,;=:@/";
    private static final String QUERY_CHARACTERS = PATH_CHARACTERS + "?";

    private RequestTargets() {
    }

    /**
     * Whether {@code target} is an origin-form target ({@code /path?query}) of plain characters only: ASCII letters,
     * digits and the unescaped characters a path or query may carry, no percent-escape, and no {@code //} at the start
     * (which {@link java.net.URI} reads as an authority). Nothing in such a target can be malformed, undecodable or a
     * control character, so every check of the request's text passes it without decoding anything; nearly every
     * request is one, and this single scan allocates nothing.
     */
    public static boolean isPlain(String target) {
        int length = target.length();
        if (length == 0 || target.charAt(0) != '/' || length > 1 && target.charAt(1) == '/') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = target.charAt(i);
            if (!isAsciiAlphanumeric(c) && QUERY_CHARACTERS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The first fault in an origin-form target ({@code /path?query}): {@code path} or the query parameter's name. */
    public static Optional<FieldError> firstFault(String target) {
        return isPlain(target) ? Optional.empty() : decodedFault(target);
    }

    /** {@link #firstFault} by decoding every part: what a target that is not {@link #isPlain plain} needs. */
    static Optional<FieldError> decodedFault(String target) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Optional<String> pathFault = fault(path, PATH_CHARACTERS, false);
        if (pathFault.isPresent()) {
            return Optional.of(new FieldError("path", pathFault.get()));
        }
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : target.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            Optional<String> nameFault = fault(name, QUERY_CHARACTERS, true);
            if (nameFault.isPresent()) {
                return Optional.of(new FieldError("query", nameFault.get()));
            }
            Optional<String> valueFault = equals < 0 ? Optional.empty()
                    : fault(pair.substring(equals + 1), QUERY_CHARACTERS, true);
            if (valueFault.isPresent()) {
                return Optional.of(new FieldError(decode(name, true), valueFault.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fault(String part, String allowed, boolean plusIsSpace) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length() || !isHex(part.charAt(i + 1)) || !isHex(part.charAt(i + 2))) {
                    return Optional.of("malformed percent-escape '" + printable(part.substring(i,
                            Math.min(part.length(), i + 3))) + "'");
                }
                i += 2;
            } else if (!isAsciiAlphanumeric(c) && allowed.indexOf(c) < 0) {
                return Optional.of(String.format("character U+%04X is not allowed in a URI; percent-encode it", (int) c));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(part, plusIsSpace)));
        } catch (CharacterCodingException e) {
            return Optional.of("percent-escapes that are not UTF-8");
        }
        return Optional.empty();
    }

    /** Decodes a part already checked; bytes that are not UTF-8 become U+FFFD (only used to name a parameter). */
    private static String decode(String part, boolean plusIsSpace) {
        return new String(bytes(part, plusIsSpace), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String part, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%' && i + 2 < part.length() && isHex(part.charAt(i + 1)) && isHex(part.charAt(i + 2))) {
                out.write(Integer.parseInt(part.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return out.toString();
    }
}
