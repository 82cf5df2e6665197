package io.nexus.common.testing;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A request body exercising every kind of check the strict binder performs. */
public record ProbeRequest(
        @NotBlank @Size(max = 20) String name,
        @NotNull @Min(1) Integer count,
        List<@Valid @NotNull ProbeItem> items,
        Map<String, @Min(0) Integer> quotas,
        ProbeMode mode,
        boolean enabled) {

    public record ProbeItem(@NotBlank String id) {
    }
}
