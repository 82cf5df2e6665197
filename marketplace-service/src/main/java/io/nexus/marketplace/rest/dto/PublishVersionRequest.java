package io.nexus.marketplace.rest.dto;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /api/v1/marketplace/items/{id}/versions}: publishes version {@code workflowVersion} (default the latest)
 * of the item's workflow as {@code version}, a semantic version above every version the item has had.
 */
public record PublishVersionRequest(@Min(1) Integer workflowVersion, @NotNull String version) {
}
