package io.nexus.cli;

/**
 * The exit codes scripts may rely on; `nexus --help` lists them. Picocli's own usage errors already exit with 2.
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int EXECUTION_FAILED = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int NOT_FOUND = 4;
    public static final int CONFLICT_OR_QUOTA = 5;
    public static final int SERVER_OR_NETWORK = 6;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status (docs/api.md §3): the status decides, not the problem's wording. */
    public static int forHttpStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409, 412, 429 -> CONFLICT_OR_QUOTA;
            // The request itself was wrong (bad field, bad JSON, too large, bad media type): like a bad flag.
            case 400, 405, 413, 415, 422 -> USAGE;
            default -> status >= 500 ? SERVER_OR_NETWORK : USAGE;
        };
    }

    /** The help footer: the same table as the constants above. */
    public static String[] helpFooter() {
        return new String[] {
            "",
            "Exit codes:",
            "  0  ok",
            "  1  the execution failed or was cancelled (workflow run, execution watch)",
            "  2  usage: bad flags or arguments, or a request the API refused (400, 422)",
            "  3  auth: no key, a bad key, or a role that may not (401, 403)",
            "  4  not found (404)",
            "  5  conflict or quota (409, 412, 429)",
            "  6  server or network: a 5xx answer, or the API could not be reached",
            "",
            "Configuration: ~/.config/nexus/config.json (`nexus login`, mode 600);",
            "NEXUS_URL and NEXUS_API_KEY override it. NO_COLOR turns colour off.",
        };
    }
}
