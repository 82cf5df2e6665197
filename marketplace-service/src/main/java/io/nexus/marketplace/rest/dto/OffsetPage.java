package io.nexus.marketplace.rest.dto;

import java.util.List;

/** A marketplace list: one page ({@code limit}, {@code offset}) and how many there are in all. */
public record OffsetPage<T>(List<T> items, long total) {
}
