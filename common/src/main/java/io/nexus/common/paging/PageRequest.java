package io.nexus.common.paging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.validation.ControlCharacters;

/**
 * {@code limit} and {@code cursor} of a cursor-paginated list (docs/api.md §4: limit default 20, max 100). The cursor is
 * opaque to clients: the sort key of the last item served, base64url-encoded.
 *
 * @param limit the page size
 * @param after the sort key to continue after, or null for the first page
 */
public record PageRequest(int limit, String after) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /**
     * The sort key a cursor decodes to, for one list. Decoding throws an unchecked exception (or returns null) for a
     * key the list never issues, so that {@link #parse(String, String, CursorKey)} reports it with a bad limit.
     */
    @FunctionalInterface
    public interface CursorKey<K> {
        K decode(String key);
    }

    /** The key of the lists ordered by id: a UUID. */
    public static final CursorKey<UUID> UUID_KEY = UUID::fromString;

    /** Parses the raw query parameters of a list ordered by id ({@link #UUID_KEY}), reporting every problem at once. */
    public static PageRequest parse(String limit, String cursor) {
        return parse(limit, cursor, UUID_KEY);
    }

    /**
     * Parses the raw query parameters of a list whose cursor carries {@code key}, reporting every problem at once: the
     * cursor's content is checked here, not later when the list is read.
     */
    public static PageRequest parse(String limit, String cursor, CursorKey<?> key) {
        List<FieldError> errors = new ArrayList<>();
        int size = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            try {
                size = Integer.parseInt(limit);
                if (size < 1 || size > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT + ", got " + size));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be an integer, got '" + truncate(limit) + "'"));
            }
        }
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = decodeCursor(cursor, key);
            if (after == null) {
                errors.add(new FieldError("cursor", "is not a cursor this API issued: '" + truncate(cursor) + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new PageRequest(size, after);
    }

    /** The sort key in {@code cursor}, or null when it is not one this list issued. */
    private static String decodeCursor(String cursor, CursorKey<?> key) {
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
                    .toString();
            if (ControlCharacters.containsNul(decoded) || key.decode(decoded) == null) {
                return null;
            }
            return decoded;
        } catch (CharacterCodingException | RuntimeException e) {
            return null;
        }
    }

    /** The cursor as the UUID sort key it encodes, for lists ordered by id; null for the first page. */
    public UUID afterUuid() {
        return afterKey(UUID_KEY);
    }

    /** The cursor as the sort key {@code key} decodes; null for the first page. */
    public <K> K afterKey(CursorKey<K> key) {
        if (after == null) {
            return null;
        }
        try {
            K decoded = key.decode(after);
            if (decoded != null) {
                return decoded;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw ProblemException.invalid(List.of(new FieldError("cursor", "is not a cursor this API issued")));
    }

    /** Rows to fetch: one more than the page, to know whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }

    public static String cursorFor(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String value) {
        return ControlCharacters.escape(value.length() > 40 ? value.substring(0, 40) + "…" : value);
    }
}
