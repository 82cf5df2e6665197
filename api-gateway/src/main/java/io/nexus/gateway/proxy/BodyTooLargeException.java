package io.nexus.gateway.proxy;

/** A request body went past the gateway's limit while it streamed. */
class BodyTooLargeException extends RuntimeException {

    BodyTooLargeException(long limit) {
        super("the request body exceeds " + limit + " bytes", null, false, false);
    }
}
