package io.nexus.marketplace.rest.dto;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An item's numbers: {@code rating} the average (2 decimals, null without reviews), {@code reviews} how many,
 * {@code ratings} how many gave each rating ({@code "1"} to {@code "5"}), {@code installs}, and {@code trending} its
 * decayed activity score now.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatsView(Double rating, int reviews, Map<String, Integer> ratings, long installs, double trending) {
}
