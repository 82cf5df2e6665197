package io.nexus.marketplace.rest.dto;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/marketplace/items/{id}/install}: installs {@code version} (default the latest not yanked) as the
 * workflow {@code as} (default the item's workflow name).
 */
public record InstallRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be a workflow name "
                + "([a-z0-9][a-z0-9-]{0,62})") String as,
        @Size(min = 1, max = 100) String version) {
}
