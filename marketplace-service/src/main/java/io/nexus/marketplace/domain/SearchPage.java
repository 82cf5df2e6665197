package io.nexus.marketplace.domain;

import java.util.List;

/** One page of a search, and how many items the search found in all. */
public record SearchPage(List<SearchHit> hits, long total) {
}
