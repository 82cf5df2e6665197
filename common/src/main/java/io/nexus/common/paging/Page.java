package io.nexus.common.paging;

import java.util.List;
import java.util.function.Function;

/** A page of a cursor list: {@code {items, nextCursor}}, {@code nextCursor} null on the last page (docs/api.md §4). */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds the page from rows fetched with {@link PageRequest#fetchSize()}: the extra row, if any, only says that
     * another page follows; the cursor is the sort key of the last item served.
     */
    public static <R, T> Page<T> of(List<R> rows, PageRequest request, Function<R, String> sortKey,
            Function<R, T> view) {
        boolean more = rows.size() > request.limit();
        List<R> served = more ? rows.subList(0, request.limit()) : rows;
        String next = more ? PageRequest.cursorFor(sortKey.apply(served.get(served.size() - 1))) : null;
        return new Page<>(served.stream().map(view).toList(), next);
    }
}
