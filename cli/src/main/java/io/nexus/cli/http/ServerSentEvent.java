package io.nexus.cli.http;

/** One event of a text/event-stream: its name ("message" when the stream names none) and its data. */
public record ServerSentEvent(String event, String data) {
}
