package io.nexus.workflow.definition;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.ValidationLimitExceededException;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;

import io.nexus.common.problem.FieldError;

/**
 * A definition's {@code inputSchema}: checked against the JSON Schema meta-schema at registration (draft 2020-12
 * unless {@code $schema} names another published draft), then used to validate execution inputs.
 *
 * <p>Tenant-written schemas are untrusted: {@code $ref} never fetches anything (no remote or file retrieval, each
 * schema gets a registry of its own so one tenant's {@code $id} cannot answer another's {@code $ref}), patterns run
 * on RE2, and validation is bounded in steps and depth.
 */
final class InputSchema {

    /** Beyond this, further input problems are summarized in one line instead of listed. */
    static final int MAX_REPORTED_INPUT_ERRORS = 100;
    private static final long MAX_VALIDATION_STEPS = 200_000;
    private static final int MAX_VALIDATION_DEPTH = 128;

    private static final List<Dialect> PUBLISHED_DIALECTS = List.of(Dialects.getDraft4(), Dialects.getDraft6(),
            Dialects.getDraft7(), Dialects.getDraft201909(), Dialects.getDraft202012());
    private static final Set<String> PUBLISHED_DIALECT_IDS = dialectIds();
    private static final Schema META_SCHEMA = registry(true).getSchema(
            SchemaLocation.of(Dialects.getDraft202012().getId()));

    private final Schema schema;

    private InputSchema(Schema schema) {
        this.schema = schema;
    }

    /** The usable schema, or null after reporting under {@code path} why there is none. */
    static InputSchema read(JsonNode schemaNode, String path, Violations violations) {
        if (!schemaNode.isObject()) {
            violations.add(path, "must be an object, got " + JsonText.describe(schemaNode));
            return null;
        }
        JsonNode dialect = schemaNode.get("$schema");
        if (dialect != null && !(dialect.isTextual() && PUBLISHED_DIALECT_IDS.contains(dialect.textValue()))) {
            violations.add(FieldPaths.child(path, "$schema"), "unsupported $schema " + JsonText.literal(dialect)
                    + ", expected a published draft (2020-12 by default)");
            return null;
        }
        tools.jackson.databind.JsonNode schemaTree = Jackson3.copy(schemaNode);
        int before = violations.count();
        reportMetaSchemaViolations(META_SCHEMA.validate(schemaTree), path, violations);
        if (violations.count() > before) {
            return null;
        }
        try {
            Schema schema = registry(false).getSchema(schemaTree);
            schema.initializeValidators();
            return new InputSchema(schema);
        } catch (SchemaException e) {
            violations.add(path, "cannot be used: " + schemaProblem(e));
            return null;
        }
    }

    /** Input problems under {@code prefix} ({@code inputs.x}); empty when the inputs conform. */
    List<FieldError> validate(JsonNode inputs, String prefix) {
        List<Error> errors;
        try {
            errors = schema.validate(Jackson3.copy(inputs));
        } catch (ValidationLimitExceededException e) {
            return List.of(new FieldError(prefix, "validation against inputSchema exceeded its cost bound"));
        }
        List<FieldError> problems = new ArrayList<>();
        for (Error error : errors) {
            if (problems.size() == MAX_REPORTED_INPUT_ERRORS) {
                problems.add(new FieldError(prefix, String.format(Locale.ROOT, "and %,d more problems",
                        errors.size() - MAX_REPORTED_INPUT_ERRORS)));
                break;
            }
            problems.add(fieldError(error, prefix));
        }
        return problems;
    }

    private static void reportMetaSchemaViolations(List<Error> errors, String path, Violations violations) {
        // The meta-schema often reports one bad value twice ("type" is an enum or an array of it): once is enough.
        Set<String> reported = new HashSet<>();
        for (Error error : errors) {
            FieldError problem = fieldError(error, path);
            if (reported.add(problem.field())) {
                violations.add(problem.field(), problem.message());
            }
        }
    }

    private static FieldError fieldError(Error error, String prefix) {
        String field = path(prefix, error.getInstanceLocation());
        String keyword = error.getKeyword();
        if (error.getProperty() != null) {
            String property = FieldPaths.child(field, error.getProperty());
            if ("required".equals(keyword) || "dependentRequired".equals(keyword)) {
                return new FieldError(property, "is required");
            }
            if ("additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword)) {
                return new FieldError(property, "unknown field");
            }
        }
        tools.jackson.databind.JsonNode instance = error.getInstanceNode();
        if ("format".equals(keyword) && error.getMessage().contains("regex") && instance != null
                && instance.isString()) {
            return new FieldError(field, JsonText.quote(instance.stringValue())
                    + " is not a valid regular expression (RE2 syntax: no lookaround or backreferences)");
        }
        if (instance != null && instance.isValueNode()) {
            String value = instance.isString() ? JsonText.quote(instance.stringValue()) : instance.toString();
            return new FieldError(field, value + ": " + error.getMessage());
        }
        return new FieldError(field, error.getMessage());
    }

    private static String path(String prefix, NodePath location) {
        String path = prefix;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? FieldPaths.index(path, index)
                    : FieldPaths.child(path, String.valueOf(element));
        }
        return path;
    }

    private static String schemaProblem(SchemaException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileNotFoundException missing) {
                return "$ref " + JsonText.quote(missing.getMessage())
                        + " cannot be resolved: only references within inputSchema are allowed";
            }
            if (cause instanceof com.google.re2j.PatternSyntaxException regex) {
                return "invalid regular expression: " + regex.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * @param forMetaSchema the meta-schema's own {@code "format": "regex"} must be asserted, so that a bad pattern
     *                      is reported where it is written; formats in tenant schemas stay annotations, as 2020-12
     *                      specifies
     */
    private static SchemaRegistry registry(boolean forMetaSchema) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .regularExpressionFactory(Re2jRegularExpressions.INSTANCE)
                .formatAssertionsEnabled(forMetaSchema)
                .executionContextCustomizer((context, schemaContext) -> context.executionConfig(limits -> limits
                        .maxEvaluationSteps(MAX_VALIDATION_STEPS)
                        .maxEvaluationDepth(MAX_VALIDATION_DEPTH)))
                .build();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaLoader(loader -> loader.fetchRemoteResources(false))
                .schemaRegistryConfig(config));
    }

    private static Set<String> dialectIds() {
        Set<String> ids = new HashSet<>();
        PUBLISHED_DIALECTS.stream().map(Dialect::getId)
                .flatMap(id -> Stream.of(id, id.endsWith("#") ? id.substring(0, id.length() - 1) : id + "#"))
                .forEach(ids::add);
        return Set.copyOf(ids);
    }
}
