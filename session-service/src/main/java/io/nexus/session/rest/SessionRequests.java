package io.nexus.session.rest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.session.SessionKeys;

/** Checks of what the session resources read from paths, queries and headers. */
final class SessionRequests {

    private SessionRequests() {
    }

    /** A session id from the path: 22 base64url characters, else 400 naming {@code id}. */
    static String sessionId(String id) {
        if (!SessionKeys.isSessionId(id)) {
            throw ProblemException.invalid(List.of(new FieldError("id",
                    "is not a session id (22 characters of A-Z, a-z, 0-9, '-' and '_')")));
        }
        return id;
    }

    /** {@code data} as an object: null or absent is no data; anything else but an object is a 400. */
    static ObjectNode dataObject(JsonNode data, boolean required) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            if (required) {
                throw ProblemException.invalid(List.of(new FieldError("data", "is required (a JSON object)")));
            }
            return null;
        }
        if (!data.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("data",
                    "must be a JSON object, got " + data.getNodeType().name().toLowerCase())));
        }
        return (ObjectNode) data;
    }

    /** {@code ?active=}: true (the default) or false. */
    static boolean active(String active) {
        if (active == null || active.isEmpty() || active.equals("true")) {
            return true;
        }
        if (active.equals("false")) {
            return false;
        }
        throw ProblemException.invalid(List.of(new FieldError("active", "must be true or false")));
    }

    /**
     * {@code If-Match}: the data version it requires, or null for none or {@code *}. A value that is not one of this
     * API's ETags can never match: 412, as RFC 9110 has it.
     */
    static Long requiredVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                return Long.parseLong(tag.substring(1, tag.length() - 1));
            } catch (NumberFormatException e) {
                // falls through
            }
        }
        return -1L;
    }
}
