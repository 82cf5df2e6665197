package io.nexus.marketplace.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The licenses an item may carry: SPDX license identifiers (https://spdx.org/licenses/), from the list shipped as
 * {@code spdx-licenses.txt}: the licenses most used for software, documentation and data. SPDX ids
 * match without regard to case; the list's spelling is what is stored.
 */
public final class SpdxLicenses {

    private static final String RESOURCE = "/spdx-licenses.txt";
    private static final Map<String, String> BY_LOWER_CASE = load();

    private SpdxLicenses() {
    }

    /** The id as the SPDX list spells it, or empty when {@code id} is not on the list. */
    public static Optional<String> canonical(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(BY_LOWER_CASE.get(id.toLowerCase(Locale.ROOT)));
    }

    public static int count() {
        return BY_LOWER_CASE.size();
    }

    private static Map<String, String> load() {
        Map<String, String> ids = new TreeMap<>();
        try (InputStream in = SpdxLicenses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.put(id.toLowerCase(Locale.ROOT), id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(ids);
    }
}
