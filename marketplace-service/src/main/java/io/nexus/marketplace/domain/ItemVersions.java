package io.nexus.marketplace.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The rules over an item's versions. */
public final class ItemVersions {

    private ItemVersions() {
    }

    /** The highest version the item ever had, yanked ones included: a new version must be above it. */
    public static Optional<Semver> highest(List<ItemVersion> versions) {
        return versions.stream().map(ItemVersion::semver).max(Comparator.naturalOrder());
    }

    /**
     * The version installs take by default: the highest release that is not yanked, or, when every version left is a
     * pre-release, the highest pre-release; empty when every version is yanked.
     */
    public static Optional<String> latest(List<ItemVersion> versions) {
        Comparator<Semver> releasesFirst = Comparator.comparing((Semver v) -> !v.isPreRelease())
                .thenComparing(Comparator.naturalOrder());
        return versions.stream().filter(version -> !version.yanked()).map(ItemVersion::semver).max(releasesFirst)
                .map(Semver::toString);
    }

    /** {@code versions} highest first. */
    public static List<ItemVersion> descending(List<ItemVersion> versions) {
        return versions.stream().sorted(Comparator.comparing(ItemVersion::semver).reversed()).toList();
    }
}
