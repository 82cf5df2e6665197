package io.nexus.workflow.definition;

import java.util.List;

import io.nexus.common.problem.FieldError;

/**
 * The outcome of {@link DefinitionParser#parse}: a workflow ready to run, or every problem with the definition
 * (never both).
 *
 * @param workflow null when the definition is invalid
 * @param errors   empty when the definition is valid
 */
public record ParsedDefinition(CompiledWorkflow workflow, List<FieldError> errors) {

    public ParsedDefinition {
        errors = List.copyOf(errors);
        if ((workflow == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("a parsed definition is either a workflow or its errors");
        }
    }

    static ParsedDefinition valid(CompiledWorkflow workflow) {
        return new ParsedDefinition(workflow, List.of());
    }

    static ParsedDefinition invalid(List<FieldError> errors) {
        return new ParsedDefinition(null, errors);
    }

    public boolean valid() {
        return workflow != null;
    }
}
