package io.nexus.gateway.auth;

/** Keys cannot be resolved right now: tenant-service failed, timed out, or its circuit is open. */
public class TenantServiceUnavailableException extends RuntimeException {

    public TenantServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
