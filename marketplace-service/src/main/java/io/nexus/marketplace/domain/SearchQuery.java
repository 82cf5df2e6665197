package io.nexus.marketplace.domain;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A search of the marketplace: {@code text} (websearch syntax: words, "phrases", -exclusions, or) and the filters,
 * each null when absent; the order and the page.
 */
public record SearchQuery(String text, String category, String tag, String license, Double minRating,
        UUID publisher, SearchSort sort, int limit, int offset) {

    private static final Pattern OPERATORS = Pattern.compile("\"|(^|\\s)-\\S|(^|\\s)(?i:or)(\\s|$)");

    /**
     * Whether the text is plain words, without websearch operators (a quoted phrase, a {@code -}exclusion, an
     * {@code or}): only plain words may be typos worth the trigram fallback; a query with operators means exactly
     * what it says.
     */
    public boolean plainWords() {
        return text != null && !OPERATORS.matcher(text).find();
    }
}
