package io.nexus.common.validation;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

/**
 * Binds a JSON request body to a request record the strict way: parse, check the shape against the record
 * ({@link JsonShapeChecker}), bind what is left, run Bean Validation, and report every violation of all three steps
 * in one 400. Quarkus's own Jackson binding is lenient and stops at the first error, which the contract forbids.
 */
public final class StrictRequestBinder {

    private final ObjectMapper mapper;
    private final ObjectReader treeReader;
    private final JsonShapeChecker shapeChecker;
    private final Validator validator;

    public StrictRequestBinder(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        // Trailing content after the value ({"a":1}{"b":2}) is an error, not something to ignore silently.
        this.treeReader = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.shapeChecker = new JsonShapeChecker(mapper);
        this.validator = validator;
    }

    public <T> T bind(byte[] body, Class<T> type, Type genericType) {
        return bind(parseObject(body), type, genericType, new ArrayList<>());
    }

    /**
     * Binds a merge patch: like {@link #bind}, plus which fields the patch names and which it sets to null, as dotted
     * paths at every depth ({@code quotas.workflows}). Null is accepted only on {@link Resettable} components and
     * inside them.
     */
    public <T> MergePatch<T> bindPatch(byte[] body, Class<T> type) {
        JsonNode tree = parseObject(body);
        Set<String> present = new LinkedHashSet<>();
        Set<String> cleared = new LinkedHashSet<>();
        List<FieldError> errors = new ArrayList<>();
        trackPresence(tree, type, "", false, present, cleared, errors);
        T value = bind(tree, type, type, errors);
        return new MergePatch<>(value, Set.copyOf(present), Set.copyOf(cleared));
    }

    private static void trackPresence(JsonNode object, Class<?> recordType, String prefix, boolean resettable,
            Set<String> present, Set<String> cleared, List<FieldError> errors) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            components.put(component.getName(), component);
        }
        object.fieldNames().forEachRemaining(name -> {
            RecordComponent component = components.get(name);
            if (component == null) {
                return; // the shape check reports unknown fields
            }
            String path = prefix + name;
            boolean canReset = resettable || component.isAnnotationPresent(Resettable.class);
            JsonNode value = object.get(name);
            present.add(path);
            if (value.isNull()) {
                if (canReset) {
                    cleared.add(path);
                } else {
                    errors.add(new FieldError(path, "must not be null"));
                }
            } else if (value.isObject() && component.getType().isRecord()) {
                trackPresence(value, component.getType(), path + ".", canReset, present, cleared, errors);
            }
        });
    }

    private <T> T bind(JsonNode tree, Class<T> type, Type genericType, List<FieldError> errors) {
        errors.addAll(shapeChecker.check(tree, genericType));
        T value = bindChecked(tree, genericType);
        Set<String> alreadyReported = new HashSet<>();
        errors.forEach(error -> alreadyReported.add(error.field()));
        ConstraintViolations.toFieldErrors(validator.validate(value)).stream()
                .filter(error -> !alreadyReported.contains(error.field()))
                .sorted(Comparator.comparing(FieldError::field))
                .forEach(errors::add);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return type.cast(value);
    }

    /**
     * The body as one JSON object (duplicate names and trailing content refused), without a NUL in any string or field
     * name, or a 400 saying why not.
     */
    public JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("a JSON object is required as the request body");
        }
        JsonNode tree;
        try {
            tree = treeReader.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()
                    + location(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("the request body could not be read");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ProblemException.badRequest("a JSON object is required as the request body");
        }
        if (!tree.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object, got "
                    + JsonShapeChecker.describe(tree));
        }
        List<FieldError> unstorable = ControlCharacters.unstorableFields(tree);
        if (!unstorable.isEmpty()) {
            throw ProblemException.invalid(unstorable);
        }
        return tree;
    }

    private <T> T bindChecked(JsonNode tree, Type genericType) {
        try {
            return mapper.readerFor(mapper.constructType(genericType)).readValue(tree);
        } catch (IOException e) {
            // The shape check accepted the tree, so this is a type the checker cannot see into (a custom deserializer).
            throw ProblemException.badRequest("the request body could not be bound: " + e.getMessage());
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
