package io.nexus.workflow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests, on a plain HTTP connection: a thread of its own parses the response into
 * events as they arrive, and every wait is bounded, so a stream that hangs fails the test instead of blocking it.
 */
final class SseConnection implements AutoCloseable {

    /** A dispatched event, or a comment line (then only {@code comment} is set). */
    record Event(String id, String name, String data, String comment) {
        boolean isComment() {
            return comment != null;
        }
    }

    private static final Event CLOSED = new Event(null, null, null, null);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    private SseConnection(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseConnection open(URI uri, String identityHeader, String identity) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header(identityHeader, identity)
                .header("Accept", "text/event-stream").GET().build();
        return new SseConnection(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS));
    }

    /** A GET with these headers (an MCP session's listening stream needs its session id beside the identity). */
    static SseConnection open(URI uri, java.util.Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        return new SseConnection(CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS));
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next event or comment; fails when none comes within {@code timeout} or the stream has ended. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        if (event == CLOSED) {
            events.add(CLOSED);
            throw new AssertionError("the stream ended before the next event");
        }
        return event;
    }

    /** The next event, skipping comments. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!event.isComment()) {
                return event;
            }
        }
    }

    /** Whether the server ends the stream within {@code timeout}; the events before the end are returned too. */
    List<Event> awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> rest = new ArrayList<>();
        while (true) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("the stream did not end within " + timeout + "; got " + rest);
            }
            if (event == CLOSED) {
                events.add(CLOSED);
                return rest;
            }
            rest.add(event);
        }
    }

    /** The whole body, for an answer that is not a stream (an error). */
    String body(Duration timeout) throws InterruptedException {
        StringBuilder body = new StringBuilder();
        for (Event line : awaitEnd(timeout)) {
            body.append(line.data()).append('\n');
        }
        return body.toString();
    }

    @Override
    public void close() {
        closed = true;
        response.body().close();
        reader.interrupt();
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        boolean stream = "text/event-stream".equals(mediaType());
        try (Stream<String> lines = response.body()) {
            for (var iterator = lines.iterator(); iterator.hasNext() && !closed;) {
                String line = iterator.next();
                if (!stream) {
                    events.add(new Event(null, null, line, null));
                } else if (line.isEmpty()) {
                    if (data != null || name != null) {
                        events.add(new Event(id, name, data == null ? null : data.toString(), null));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                            // retry and unknown fields do not matter here
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // the connection was closed under the reader
        } finally {
            events.add(CLOSED);
        }
    }

    private String mediaType() {
        String type = header("Content-Type");
        return type == null ? null : type.split(";")[0].trim();
    }
}
