package io.nexus.workflow.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.definition.ExpressionFields.Expecting;
import io.nexus.workflow.expression.CompiledExpression;

/**
 * The {@code config} rules per node type (docs/api.md §5 table). Unknown keys are errors; the normalized config keeps
 * the known keys in a fixed order, so stored definitions compare and diff well.
 */
final class NodeConfigs {

    static final long THIRTY_DAYS_MS = 30L * 24 * 60 * 60 * 1000;
    static final long MAX_HTTP_TIMEOUT_MS = 30_000;
    static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    static final Pattern SIGNAL_NAME = SignalNames.PATTERN;
    static final Pattern EVENT_TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}");
    /** RFC 9110 token. */
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    /** A valid config and its compiled expressions, keyed as {@link CompiledWorkflow#nodeExpression} reads them. */
    record Config(ObjectNode normalized, Map<String, CompiledExpression> expressions) {
    }

    private final ExpressionFields expressionFields;
    private final Violations violations;

    NodeConfigs(ExpressionFields expressionFields, Violations violations) {
        this.expressionFields = expressionFields;
        this.violations = violations;
    }

    /** @param config the node's {@code config}, null when absent (read as {@code {}}) */
    Config read(NodeType type, JsonNode config, String path) {
        if (config != null && !config.isObject()) {
            violations.add(path, "must be an object, got " + JsonText.describe(config));
            return null;
        }
        Reading reading = new Reading(config == null ? JsonNodeFactory.instance.objectNode() : config, path);
        switch (type) {
            case TRANSFORM -> reading.only("expression").expression("expression", true, Expecting.ANY);
            case CONDITION -> reading.only("expression").expression("expression", true, Expecting.BOOL);
            case HTTP -> reading.only("method", "url", "headers", "body", "timeoutMs")
                    .choice("method", HTTP_METHODS, "HTTP method")
                    .expression("url", true, Expecting.STRING, true)
                    .headers()
                    .expression("body", false, Expecting.ANY, true)
                    .integer("timeoutMs", false, 1, MAX_HTTP_TIMEOUT_MS);
            case DELAY -> reading.only("durationMs", "until")
                    .exactlyOneOf("durationMs", "until")
                    .integer("durationMs", false, 1, THIRTY_DAYS_MS)
                    .expression("until", false, Expecting.TIMESTAMP);
            case WAIT -> reading.only("signal", "timeoutMs")
                    .matching("signal", SIGNAL_NAME, "invalid signal name %s: must match " + SIGNAL_NAME)
                    .integer("timeoutMs", false, 1, THIRTY_DAYS_MS);
            case SUBWORKFLOW -> reading.only("workflow", "version", "inputs")
                    .matching("workflow", DefinitionRules.WORKFLOW_NAME,
                            "invalid workflow name %s: must match " + DefinitionRules.WORKFLOW_NAME)
                    .integer("version", false, 1, Integer.MAX_VALUE)
                    .expression("inputs", false, Expecting.MAP);
            case SESSION -> reading.only("merge").expression("merge", false, Expecting.MAP);
            case EVENT -> reading.only("type", "data")
                    .matching("type", EVENT_TYPE, "invalid event type %s: must match " + EVENT_TYPE)
                    .expression("data", false, Expecting.ANY);
            case FAIL -> reading.only("message").expression("message", true, Expecting.STRING);
        }
        return reading.valid ? new Config(reading.normalized, reading.expressions) : null;
    }

    /** One node's config being read: what is valid so far, in the type's key order. */
    private final class Reading {
        private final ObjectReader reader;
        private final ObjectNode normalized = JsonNodeFactory.instance.objectNode();
        private final Map<String, CompiledExpression> expressions = new LinkedHashMap<>();
        private final int violationsBefore = violations.count();
        private boolean valid = true;

        Reading(JsonNode config, String path) {
            this.reader = new ObjectReader(config, path, violations);
        }

        Reading only(String... keys) {
            reader.allowOnly(Set.of(keys));
            return track();
        }

        Reading expression(String key, boolean required, Expecting expecting) {
            return expression(key, required, expecting, false);
        }

        /** @param withSecrets whether the expression may read {@code secrets.NAME} (http url, headers, body) */
        Reading expression(String key, boolean required, Expecting expecting, boolean withSecrets) {
            JsonNode value = required ? reader.required(key).orElse(null) : reader.raw(key);
            if (value != null) {
                CompiledExpression compiled = expressionFields.compile(value, reader.path(key), expecting,
                        withSecrets);
                if (compiled != null) {
                    normalized.set(key, value);
                    expressions.put(key, compiled);
                }
            }
            return track();
        }

        Reading integer(String key, boolean required, long min, long max) {
            reader.integer(key, required, min, max)
                    .ifPresent(number -> normalized.set(key, CanonicalJson.integer(number)));
            return track();
        }

        Reading choice(String key, List<String> allowed, String what) {
            reader.choice(key, true, allowed, what).ifPresent(value -> normalized.put(key, value));
            return track();
        }

        Reading matching(String key, Pattern pattern, String complaint) {
            reader.matching(key, true, pattern, quoted -> String.format(complaint, quoted))
                    .ifPresent(value -> normalized.put(key, value));
            return track();
        }

        Reading exactlyOneOf(String first, String second) {
            boolean hasFirst = reader.has(first);
            boolean hasSecond = reader.has(second);
            if (hasFirst && hasSecond) {
                violations.add(reader.path(), "set " + first + " or " + second + ", not both");
            } else if (!hasFirst && !hasSecond) {
                violations.add(reader.path(first), "is required (or " + second + ")");
            }
            return track();
        }

        /** {@code headers}: an object of header name to CEL string expression. */
        Reading headers() {
            reader.object("headers", false).ifPresent(headers -> {
                ObjectNode normalizedHeaders = JsonNodeFactory.instance.objectNode();
                String headersPath = reader.path("headers");
                for (Map.Entry<String, JsonNode> header : headers.properties()) {
                    String headerPath = FieldPaths.child(headersPath, header.getKey());
                    if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                        violations.add(headerPath, "invalid header name " + JsonText.quote(header.getKey()));
                        continue;
                    }
                    CompiledExpression compiled = expressionFields.compile(header.getValue(), headerPath,
                            Expecting.STRING, true);
                    if (compiled != null) {
                        normalizedHeaders.set(header.getKey(), header.getValue());
                        expressions.put(CompiledWorkflow.headerKey(header.getKey()), compiled);
                    }
                }
                normalized.set("headers", normalizedHeaders);
            });
            return track();
        }

        private Reading track() {
            valid = violations.count() == violationsBefore;
            return this;
        }
    }
}
