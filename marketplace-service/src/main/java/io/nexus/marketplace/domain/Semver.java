package io.nexus.marketplace.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0.0 version ({@code 1.4.0}, {@code 2.0.0-rc.1}, {@code 1.0.0+build.5}) ordered by its
 * precedence: major, minor, patch numerically; a pre-release below its release; pre-release identifiers compared one
 * by one (numeric ones numerically and below alphanumeric ones). Build metadata does not count, so
 * {@code 1.0.0+a} and {@code 1.0.0+b} are equal.
 */
public record Semver(long major, long minor, long patch, List<String> preRelease, String text)
        implements Comparable<Semver> {

    /** The longest version text accepted. */
    public static final int MAX_LENGTH = 64;
    // The regular expression semver.org suggests.
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern NUMERIC = Pattern.compile("\\d+");
    /** Every item's first version. */
    public static final Semver FIRST = parse("1.0.0").orElseThrow();

    /** The version {@code text} spells, or empty when it is not a semantic version (or is too long). */
    public static Optional<Semver> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            List<String> preRelease = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
            return Optional.of(new Semver(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), preRelease, text));
        } catch (NumberFormatException e) {
            return Optional.empty(); // a number beyond a long
        }
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    @Override
    public int compareTo(Semver other) {
        int byNumbers = major != other.major ? Long.compare(major, other.major)
                : minor != other.minor ? Long.compare(minor, other.minor) : Long.compare(patch, other.patch);
        if (byNumbers != 0) {
            return byNumbers;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            int byIdentifier = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (byIdentifier != 0) {
                return byIdentifier;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = NUMERIC.matcher(a).matches();
        boolean bNumeric = NUMERIC.matcher(b).matches();
        if (aNumeric && bNumeric) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The highest of {@code versions}, by precedence; empty for none. */
    public static Optional<Semver> highest(List<Semver> versions) {
        return versions.stream().max(Semver::compareTo);
    }

    /** {@code versions} highest first. */
    public static List<Semver> descending(List<Semver> versions) {
        List<Semver> sorted = new ArrayList<>(versions);
        sorted.sort((a, b) -> b.compareTo(a));
        return sorted;
    }

    @Override
    public String toString() {
        return text;
    }
}
