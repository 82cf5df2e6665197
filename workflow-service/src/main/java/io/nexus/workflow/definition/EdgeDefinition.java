package io.nexus.workflow.definition;

/** A directed edge; {@code when} is a CEL boolean evaluated once {@code from} completes (null = always taken). */
public record EdgeDefinition(String from, String to, String when) {
}
