package io.nexus.common.http;

import java.util.UUID;
import java.util.regex.Pattern;

/** The request id carried in {@code X-Request-Id}: accepted from the caller when sane, generated otherwise. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    /** Visible ASCII without separators that could break log lines or header parsing. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    public static String acceptOrGenerate(String offered) {
        if (offered != null && ACCEPTABLE.matcher(offered).matches()) {
            return offered;
        }
        return UUID.randomUUID().toString();
    }
}
