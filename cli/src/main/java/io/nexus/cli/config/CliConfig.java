package io.nexus.cli.config;

/** Where the API is and which key to use; either may be null until `nexus login` has run. */
public record CliConfig(String url, String apiKey) {
}
