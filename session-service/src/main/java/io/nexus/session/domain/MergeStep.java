package io.nexus.session.domain;

/**
 * What a merge does to one top-level member of a session's data, as the merge script takes it.
 *
 * @param field    the member's hash field ({@link SessionData#field(String)})
 * @param value    its new JSON text (unused for {@link Kind#DELETE})
 * @param expected for {@link Kind#REPLACE_IF_UNCHANGED}: the JSON text it had when the merge was computed
 */
public record MergeStep(Kind kind, String field, String value, String expected) {

    public enum Kind {
        /** Set the member, whatever it was. */
        SET("S"),
        /** Remove the member (the patch set it to null). */
        DELETE("D"),
        /** Set the member only if it still holds {@code expected} (a nested merge computed from it). */
        REPLACE_IF_UNCHANGED("C"),
        /** Set the member only if it is still absent (a nested merge computed from nothing). */
        SET_IF_ABSENT("A");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
