package io.nexus.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny in-process HTTP server standing in for the gateway: canned answers by "METHOD path", requests recorded. */
final class FakeApi implements AutoCloseable {

    record Answer(int status, String contentType, String body) {
    }

    record Request(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeApi json(String method, String pathAndQuery, int status, String body) {
        answers.put(method + " " + pathAndQuery, new Answer(status, "application/json", body));
        return this;
    }

    FakeApi problem(String method, String pathAndQuery, int status, String body) {
        answers.put(method + " " + pathAndQuery, new Answer(status, "application/problem+json", body));
        return this;
    }

    FakeApi events(String pathAndQuery, String stream) {
        answers.put("GET " + pathAndQuery, new Answer(200, "text/event-stream", stream));
        return this;
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), target, exchange.getRequestHeaders(), body));
        Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + target,
                new Answer(404, "application/problem+json",
                        "{\"type\":\"urn:nexus:problem:not-found\",\"title\":\"Not found\",\"status\":404,"
                                + "\"detail\":\"no route in the fake\"}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
