package io.nexus.gateway.proxy;

/** The client closed its connection before the service answered: the call was dropped, nobody is owed an answer. */
final class ClientGoneException extends RuntimeException {

    ClientGoneException() {
        super("the client closed the connection before the answer", null, false, false);
    }
}
