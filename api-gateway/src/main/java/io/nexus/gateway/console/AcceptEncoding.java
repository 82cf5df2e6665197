package io.nexus.gateway.console;

import java.util.Locale;

/** Whether a request's {@code Accept-Encoding} lets us send gzip (RFC 9110 §12.5.3, q-values included). */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    static boolean allowsGzip(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            double q = quality(pieces);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = q;
            } else if (coding.equals("*")) {
                any = q;
            }
        }
        if (gzip != null) {
            return gzip > 0;
        }
        return any != null && any > 0;
    }

    private static double quality(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip();
            if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
