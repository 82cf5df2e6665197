package io.nexus.marketplace.service;

import java.util.List;

/**
 * A publication as the request asked for it, checked: the publisher's workflow and its version (null: the latest),
 * and what the item says about itself; {@code license} as the SPDX list spells it.
 */
public record NewItem(String workflow, Integer workflowVersion, String name, String summary, String description,
        List<String> categories, List<String> tags, String license) {
}
