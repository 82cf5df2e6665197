package io.nexus.common.validation;

/**
 * The length of text as UTF-8 bytes, which is what limits stated in bytes mean (and what PostgreSQL stores), counted
 * without encoding it. {@link String#length()} counts UTF-16 units: a limit checked with it lets through up to three
 * times as many bytes of non-Latin text.
 */
public final class Utf8Length {

    private Utf8Length() {
    }

    public static long of(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // the rest of the BMP; an unpaired surrogate too, as its replacement character would be
            }
        }
        return bytes;
    }
}
