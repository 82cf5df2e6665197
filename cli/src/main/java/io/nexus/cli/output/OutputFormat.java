package io.nexus.cli.output;

/** `--output`: tables and lines for people, or exactly one JSON or YAML document for scripts. */
public enum OutputFormat {
    TABLE, JSON, YAML
}
