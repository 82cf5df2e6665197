package io.nexus.events;

/** An event could not be written or read: a bug on the producing side, or a message that is not a Nexus event. */
public class EventCodecException extends RuntimeException {

    public EventCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
