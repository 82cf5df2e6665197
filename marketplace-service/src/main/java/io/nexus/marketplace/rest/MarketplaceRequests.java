package io.nexus.marketplace.rest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.ids.Ids;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.marketplace.domain.SearchQuery;
import io.nexus.marketplace.domain.SearchSort;
import io.nexus.marketplace.domain.Semver;
import io.nexus.marketplace.domain.SpdxLicenses;
import io.nexus.marketplace.rest.dto.InstallRequest;
import io.nexus.marketplace.rest.dto.PublishItemRequest;
import io.nexus.marketplace.rest.dto.PublishVersionRequest;
import io.nexus.marketplace.service.NewItem;

/**
 * Checks of what the marketplace resources read from bodies, paths and queries. Bodies go through the common strict
 * binder; the rules it cannot know (configured categories, the SPDX list, semantic versions, duplicates) are checked
 * on the same body in the same pass, so that one 400 names every bad field.
 */
final class MarketplaceRequests {

    static final int MAX_QUERY_LENGTH = 200;
    static final int MAX_OFFSET = 10_000;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private MarketplaceRequests() {
    }

    static NewItem publish(StrictRequestBinder binder, byte[] body, List<String> categories) {
        PublishItemRequest request = bind(binder, body, PublishItemRequest.class, tree -> {
            List<FieldError> errors = new ArrayList<>();
            checkCategories(tree.get("categories"), categories, errors);
            checkDuplicates(tree.get("tags"), "tags", "tag", errors);
            JsonNode license = tree.get("license");
            if (license != null && license.isTextual() && !license.textValue().isBlank()
                    && SpdxLicenses.canonical(license.textValue().strip()).isEmpty()) {
                errors.add(new FieldError("license", "must be an SPDX license id such as MIT or Apache-2.0 "
                        + "(docs/api.md §4.6 lists them), got '" + abbreviate(license.textValue()) + "'"));
            }
            return errors;
        });
        return new NewItem(request.workflow(), request.version(), request.name().strip(), request.summary().strip(),
                request.description() == null || request.description().isBlank() ? null
                        : request.description().strip(),
                request.categories(), request.tags(), SpdxLicenses.canonical(request.license().strip()).orElseThrow());
    }

    static PublishVersionRequest version(StrictRequestBinder binder, byte[] body) {
        return bind(binder, body, PublishVersionRequest.class, tree -> {
            JsonNode version = tree.get("version");
            if (version != null && version.isTextual() && Semver.parse(version.textValue()).isEmpty()) {
                return List.of(new FieldError("version", "must be a semantic version such as 1.2.0 or 2.0.0-rc.1 "
                        + "(at most " + Semver.MAX_LENGTH + " characters), got '" + abbreviate(version.textValue())
                        + "'"));
            }
            return List.of();
        });
    }

    /** An install's body; none at all (or {@code {}}) installs the latest version under the item's workflow name. */
    static InstallRequest install(StrictRequestBinder binder, byte[] body) {
        if (body == null || body.length == 0) {
            return new InstallRequest(null, null);
        }
        return binder.bind(body, InstallRequest.class, InstallRequest.class);
    }

    /** An install id from the path: a malformed one is not found, like an unknown one. */
    static UUID installId(String id) {
        return Ids.parseOrNotFound(id, "install");
    }

    /** An item id from the path: a malformed one is not found, like an unknown one (docs/api.md §4.1). */
    static UUID itemId(String id) {
        return Ids.parseOrNotFound(id, "marketplace item");
    }

    static SearchQuery search(String q, String category, String tag, String license, String minRating,
            String publisher, String sort, String limit, String offset, List<String> categories) {
        List<FieldError> errors = new ArrayList<>();
        String text = q == null || q.isBlank() ? null : q.strip();
        if (text != null && text.codePointCount(0, text.length()) > MAX_QUERY_LENGTH) {
            errors.add(new FieldError("q", "must be at most " + MAX_QUERY_LENGTH + " characters, got "
                    + text.codePointCount(0, text.length())));
        }
        String categoryFilter = blankToNull(category);
        if (categoryFilter != null && !categories.contains(categoryFilter)) {
            errors.add(new FieldError("category", "must be one of " + categories + ", got '"
                    + abbreviate(categoryFilter) + "'"));
        }
        String tagFilter = blankToNull(tag);
        if (tagFilter != null && !TAG.matcher(tagFilter).matches()) {
            errors.add(new FieldError("tag", "must be a tag (1–32 of a-z, 0-9 and '-'), got '"
                    + abbreviate(tagFilter) + "'"));
        }
        String licenseFilter = null;
        if (blankToNull(license) != null) {
            licenseFilter = SpdxLicenses.canonical(license.strip()).orElse(null);
            if (licenseFilter == null) {
                errors.add(new FieldError("license", "must be an SPDX license id on the list, got '"
                        + abbreviate(license) + "'"));
            }
        }
        Double rating = null;
        if (blankToNull(minRating) != null) {
            try {
                rating = Double.parseDouble(minRating);
            } catch (NumberFormatException e) {
                rating = Double.NaN;
            }
            if (!(rating >= 1 && rating <= 5)) {
                errors.add(new FieldError("minRating", "must be a number from 1 to 5, got '"
                        + abbreviate(minRating) + "'"));
            }
        }
        UUID publisherFilter = null;
        if (blankToNull(publisher) != null) {
            try {
                publisherFilter = publisher.length() == 36 ? UUID.fromString(publisher) : null;
            } catch (IllegalArgumentException e) {
                publisherFilter = null;
            }
            if (publisherFilter == null) {
                errors.add(new FieldError("publisher", "must be a tenant id, got '" + abbreviate(publisher) + "'"));
            }
        }
        SearchSort order = SearchSort.RELEVANCE;
        if (blankToNull(sort) != null) {
            order = SearchSort.ofWire(sort).orElse(null);
            if (order == null) {
                errors.add(new FieldError("sort", "must be one of " + SearchSort.wireValues() + ", got '"
                        + abbreviate(sort) + "'"));
            }
        }
        int size = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = integer("offset", offset, 0, 0, MAX_OFFSET, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new SearchQuery(text, categoryFilter, tagFilter, licenseFilter, rating, publisherFilter, order, size,
                skip);
    }

    /** {@code limit} and {@code offset} of a list that is not a search. */
    static int[] page(String limit, String offset) {
        List<FieldError> errors = new ArrayList<>();
        int size = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = integer("offset", offset, 0, 0, MAX_OFFSET, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new int[] { size, skip };
    }

    /**
     * Binds {@code body} strictly and runs {@code moreChecks} on the same document; every violation of both is
     * reported in one 400 (a field the binder reported is not reported twice).
     */
    private static <T> T bind(StrictRequestBinder binder, byte[] body, Class<T> type,
            Function<JsonNode, List<FieldError>> moreChecks) {
        List<FieldError> more = moreChecks.apply(binder.parseObject(body));
        try {
            T request = binder.bind(body, type, type);
            if (!more.isEmpty()) {
                throw ProblemException.invalid(more);
            }
            return request;
        } catch (ProblemException e) {
            if (e.type() != ProblemType.INVALID_REQUEST || more.isEmpty()) {
                throw e;
            }
            List<FieldError> errors = e.toProblem(null).errors() == null ? new ArrayList<>()
                    : new ArrayList<>(e.toProblem(null).errors());
            Set<String> reported = new HashSet<>();
            errors.forEach(error -> reported.add(error.field()));
            more.stream().filter(error -> !reported.contains(error.field())).forEach(errors::add);
            throw ProblemException.invalid(errors);
        }
    }

    private static void checkCategories(JsonNode node, List<String> known, List<FieldError> errors) {
        if (node == null || !node.isArray()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode category = node.get(i);
            if (category.isNull()) {
                errors.add(new FieldError("categories[" + i + "]", "must not be null"));
            } else if (category.isTextual() && !known.contains(category.textValue())) {
                errors.add(new FieldError("categories[" + i + "]", "must be one of " + known + ", got '"
                        + abbreviate(category.textValue()) + "'"));
            } else if (category.isTextual() && !seen.add(category.textValue())) {
                errors.add(new FieldError("categories[" + i + "]", "is a duplicate of an earlier category, got '"
                        + category.textValue() + "'"));
            }
        }
    }

    private static void checkDuplicates(JsonNode node, String field, String what, List<FieldError> errors) {
        if (node == null || !node.isArray()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            if (value.isTextual() && !seen.add(value.textValue())) {
                errors.add(new FieldError(field + "[" + i + "]", "is a duplicate of an earlier " + what + ", got '"
                        + abbreviate(value.textValue()) + "'"));
            }
        }
    }

    private static int integer(String name, String raw, int fallback, int min, int max, List<FieldError> errors) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be an integer from " + min + " to " + max + ", got '" + abbreviate(raw)
                + "'"));
        return fallback;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
