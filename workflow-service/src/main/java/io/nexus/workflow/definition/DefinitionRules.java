package io.nexus.workflow.definition;

import java.util.Set;
import java.util.regex.Pattern;

/** The naming rules and size limits of docs/api.md §5, in one place for the parser and its tests. */
final class DefinitionRules {

    static final Pattern WORKFLOW_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern NODE_ID = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Node ids are read as {@code nodes.<id>}: a CEL reserved word there does not parse. */
    static final Set<String> CEL_RESERVED_WORDS = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    static final int MAX_DESCRIPTION_CHARS = 2_000;
    static final int MAX_NODES = 200;
    static final int MAX_EDGES = 2_000;
    /** Every expression of a definition together: its node configs, edge conditions and output. */
    static final int MAX_EXPRESSIONS = 2_500;
    /** A definition serialized as UTF-8 (the request body limit is larger). */
    static final int MAX_DEFINITION_BYTES = 256 * 1024;
    static final long MAX_WORKFLOW_TIMEOUT_MS = 86_400_000L;
    static final long MAX_NODE_TIMEOUT_MS = 3_600_000L;
    static final int MAX_ATTEMPTS = 10;
    static final long MAX_BACKOFF_MS = 60_000L;

    private DefinitionRules() {
    }
}
