package io.nexus.common.identity;

/** A request came without a valid {@code X-Nexus-Identity}. The message is safe to show the caller. */
public class InvalidIdentityException extends RuntimeException {

    public InvalidIdentityException(String message) {
        super(message, null, false, false);
    }
}
