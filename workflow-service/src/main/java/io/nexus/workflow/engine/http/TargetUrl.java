package io.nexus.workflow.engine.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A strictly parsed outbound URL: http or https, a host, no user info, a port in 1..65535.
 *
 * <p>A host that is an IP literal is parsed here and never handed to a resolver. IPv4 literals follow the WHATWG
 * URL rules browsers and curl use: one to four parts, each decimal, octal ({@code 0177}) or hexadecimal
 * ({@code 0x7f}), so {@code 2130706433}, {@code 0x7f.1} and {@code 0177.0.0.1} are all 127.0.0.1. A host whose
 * last label is numeric but is no valid IPv4 address is refused, as browsers do, rather than sent to DNS.
 */
record TargetUrl(URI uri, boolean https, String host, int port, Optional<InetAddress> literal) {

    private static final int MAX_URL_LENGTH = 8192;

    static TargetUrl parse(String url, String failureCode) throws HttpCallFailure {
        if (url == null || url.isBlank()) {
            throw new HttpCallFailure(failureCode, "url is empty");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new HttpCallFailure(failureCode, "url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new HttpCallFailure(failureCode, "url is not a valid URI: " + e.getReason());
        }
        return of(uri, failureCode);
    }

    /** Resolves a redirect's Location against this URL; a relative Location keeps this URL's origin. */
    TargetUrl resolve(String location) throws HttpCallFailure {
        URI next;
        try {
            next = uri.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new HttpCallFailure(HttpCallFailure.HTTP, "redirect Location is not a valid URI");
        }
        try {
            return of(next, HttpCallFailure.FORBIDDEN_TARGET);
        } catch (HttpCallFailure refused) {
            // Like an address refusal: the code says what happened, the message nothing more.
            throw new HttpCallFailure(HttpCallFailure.FORBIDDEN_TARGET, HttpCallFailure.FORBIDDEN_TARGET_MESSAGE);
        }
    }

    private static TargetUrl of(URI uri, String failureCode) throws HttpCallFailure {
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new HttpCallFailure(failureCode, "url must be an absolute http or https URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new HttpCallFailure(failureCode, "scheme " + scheme + " is not allowed, only http and https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new HttpCallFailure(failureCode, "credentials in the url are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new HttpCallFailure(failureCode, "url has no valid host");
        }
        host = host.toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new HttpCallFailure(failureCode, "port must be between 1 and 65535");
        }
        Optional<InetAddress> literal = ipLiteral(host, failureCode);
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new TargetUrl(uri, https, bareHost, port, literal);
    }

    /** Path and query as sent on the request line; the fragment never leaves the client. */
    String requestUri() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    boolean defaultPort() {
        return port == (https ? 443 : 80);
    }

    /** Scheme, host and port: headers supplied by the caller are not carried to another origin on a redirect. */
    boolean sameOrigin(TargetUrl other) {
        return https == other.https && port == other.port && host.equals(other.host);
    }

    private static Optional<InetAddress> ipLiteral(String host, String failureCode) throws HttpCallFailure {
        if (host.startsWith("[")) {
            if (host.indexOf('%') >= 0) {
                throw new HttpCallFailure(failureCode, "IPv6 zone identifiers are not allowed");
            }
            try {
                // A bracketed host is parsed as an IPv6 literal by the JDK, never looked up in DNS.
                return Optional.of(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                throw new HttpCallFailure(failureCode, "url host is not a valid IPv6 address");
            }
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (!isNumber(lastLabel)) {
            return Optional.empty();
        }
        byte[] address = parseIpv4(name);
        if (address == null) {
            throw new HttpCallFailure(failureCode, "url host " + host + " is not a valid IPv4 address");
        }
        try {
            return Optional.of(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNumber(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.startsWith("0x")) {
            return allDigits(label.substring(2), 16);
        }
        return allDigits(label, 10);
    }

    /** WHATWG IPv4 parser; null when {@code host} is not an IPv4 address. */
    private static byte[] parseIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long number = parseIpv4Number(parts[i]);
            if (number == null || (i < parts.length - 1 && number > 255)) {
                return null;
            }
            numbers[i] = number;
        }
        long last = numbers[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return null;
        }
        long value = last;
        for (int i = 0; i < parts.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static Long parseIpv4Number(String part) {
        if (part.isEmpty()) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return 0L;
        }
        if (digits.length() > 12 || !allDigits(digits, radix)) {
            return null;
        }
        return Long.parseLong(digits, radix);
    }

    /** ASCII digits of {@code radix} only: no sign, no Unicode digits. */
    private static boolean allDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean digit = (c >= '0' && c <= '9' && c - '0' < radix)
                    || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!digit) {
                return false;
            }
        }
        return true;
    }
}
