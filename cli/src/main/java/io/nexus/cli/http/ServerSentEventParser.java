package io.nexus.cli.http;

import java.util.function.Consumer;

/** The text/event-stream format, line by line: `event:` and `data:` fields, comments ignored, a blank line ends one. */
final class ServerSentEventParser {

    private final Consumer<ServerSentEvent> consumer;
    private String event;
    private StringBuilder data;

    ServerSentEventParser(Consumer<ServerSentEvent> consumer) {
        this.consumer = consumer;
    }

    void line(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith(":")) {
            return;
        } else if (line.startsWith("event:")) {
            event = value(line, "event:");
        } else if (line.startsWith("data:")) {
            data = data == null ? new StringBuilder() : data.append('\n');
            data.append(value(line, "data:"));
        }
    }

    private void dispatch() {
        if (data != null) {
            consumer.accept(new ServerSentEvent(event == null ? "message" : event, data.toString()));
        }
        event = null;
        data = null;
    }

    private static String value(String line, String field) {
        String value = line.substring(field.length());
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
