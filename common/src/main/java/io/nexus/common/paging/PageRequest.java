package io.nexus.common.paging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

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

    /** Parses the raw query parameters, reporting every problem at once. */
    public static PageRequest parse(String limit, String cursor) {
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
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cursor", "is not a cursor this API issued: '" + truncate(cursor) + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new PageRequest(size, after);
    }

    /** The cursor as the UUID sort key it encodes, for lists ordered by id; null for the first page. */
    public UUID afterUuid() {
        if (after == null) {
            return null;
        }
        try {
            return UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(List.of(new FieldError("cursor", "is not a cursor this API issued")));
        }
    }

    /** Rows to fetch: one more than the page, to know whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }

    public static String cursorFor(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
