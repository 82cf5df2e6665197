package io.nexus.marketplace.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The orders of a search ({@code ?sort=}); every order ends with the newest first. */
public enum SearchSort {
    /** Best full-text match first (typo matches after every full-text match); without {@code q}, newest. */
    RELEVANCE,
    /** Highest average rating first, items without reviews last; ties: more reviews first. */
    RATING,
    /** Most installs first. */
    INSTALLS,
    /** Most recently published items first. */
    NEWEST,
    /** Highest decayed activity first ({@link Trending}); items without any last. */
    TRENDING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SearchSort> ofWire(String value) {
        return Arrays.stream(values()).filter(sort -> sort.wire().equals(value)).findFirst();
    }

    public static List<String> wireValues() {
        return Arrays.stream(values()).map(SearchSort::wire).toList();
    }
}
