package io.nexus.workflow.engine.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * The outbound HTTP client of {@code http} nodes (docs/api.md §5), safe against server-side request forgery.
 *
 * <ul>
 *   <li>The host is resolved once per hop and the call is refused if <em>any</em> resolved address is refused
 *       (rather than picking the allowed ones: a name that mixes public and internal addresses is suspect). The
 *       connection then goes to the first checked address while Host, SNI and certificate verification keep the
 *       original name, so a DNS answer that changes between check and connect (rebinding) changes nothing.</li>
 *   <li>Redirects are never followed by Vert.x: up to {@link OutboundPolicy#maxRedirects()} are followed here,
 *       each Location parsed, resolved and checked like the first URL. 303 (and 301/302 after a POST) turn into a
 *       GET without body; 307/308 keep method and body. Caller headers are dropped when a redirect leaves the
 *       origin, so credentials do not follow it. With redirects off the 3xx is the result.</li>
 *   <li>One deadline covers resolution, connection, redirects and the body; when it passes the connection is
 *       reset, which also cuts a receiver that never answers or trickles bytes.</li>
 *   <li>The body is counted while it streams and the connection reset beyond the cap.</li>
 *   <li>Request headers are never logged nor put into failure messages.</li>
 * </ul>
 */
public final class SafeHttpClient {

    static final String USER_AGENT = "nexus-workflow";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** Framing and hop-by-hop headers belong to the client; letting callers set them invites request smuggling. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection");

    /** Replaced by the client's own values whatever the caller sent. */
    private static final Set<String> CLIENT_HEADERS = Set.of("idempotency-key", "user-agent");

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Vertx vertx;
    private final OutboundPolicy policy;
    private final AddressResolver resolver;
    private final AddressCheck check;
    private final HttpClient client;

    public SafeHttpClient(Vertx vertx, OutboundPolicy policy, AddressResolver resolver) {
        this(vertx, policy, resolver, AddressCheck.of(policy), new HttpClientOptions());
    }

    /** Tests replace the address rule and TLS trust; everything else is the production path. */
    SafeHttpClient(Vertx vertx, OutboundPolicy policy, AddressResolver resolver, AddressCheck check,
            HttpClientOptions options) {
        this.vertx = vertx;
        this.policy = policy;
        this.resolver = resolver;
        this.check = check;
        this.client = vertx.createHttpClient(new HttpClientOptions(options)
                .setVerifyHost(true)
                // No Accept-Encoding: the cap then counts the bytes the receiver sends, and nothing inflates them.
                .setDecompressionSupported(false)
                .setKeepAlive(true));
    }

    /** Performs the call; fails with {@link HttpCallFailure}. Nothing happens until the Uni is subscribed. */
    public Uni<HttpCallResult> call(HttpCallSpec spec) {
        return Uni.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange();
            emitter.onTermination(exchange::cancel);
            exchange.result.future().onComplete(outcome -> {
                if (outcome.succeeded()) {
                    emitter.complete(outcome.result());
                } else {
                    emitter.fail(outcome.cause());
                }
            });
            exchange.start(spec);
        });
    }

    public void close() {
        client.close();
    }

    /** One call: its deadline, the request in flight and the redirects followed so far. */
    private final class Exchange {

        final Promise<HttpCallResult> result = Promise.promise();
        /** The caller's context when called from one, a fresh event-loop context otherwise. */
        private final Context context = vertx.getOrCreateContext();
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile HttpClientRequest inFlight;
        private volatile long timerId = -1;
        private long deadlineNanos;
        private Map<String, String> callerHeaders;
        private String idempotencyKey;
        private int redirectsFollowed;

        void start(HttpCallSpec spec) {
            try {
                TargetUrl target = TargetUrl.parse(spec.url(), HttpCallFailure.INVALID_REQUEST);
                HttpMethod method = method(spec.method());
                callerHeaders = validHeaders(spec.headers());
                idempotencyKey = validIdempotencyKey(spec.idempotencyKey());
                Buffer body = spec.body() == null
                        ? null
                        : Buffer.buffer(ResponseBodies.JSON.writeValueAsBytes(spec.body()));
                Duration timeout = timeout(spec.timeout());
                deadlineNanos = System.nanoTime() + timeout.toNanos();
                timerId = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> fail(new HttpCallFailure(
                        HttpCallFailure.TIMEOUT, "no complete response within " + timeout.toMillis() + " ms")));
                hop(target, method, body, true);
            } catch (HttpCallFailure failure) {
                fail(failure);
            } catch (JsonProcessingException e) {
                fail(new HttpCallFailure(HttpCallFailure.INVALID_REQUEST, "body cannot be serialized as JSON"));
            }
        }

        void cancel() {
            fail(new HttpCallFailure(HttpCallFailure.HTTP, "call cancelled"));
        }

        private void hop(TargetUrl target, HttpMethod method, Buffer body, boolean sendCallerHeaders) {
            addresses(target).onComplete(resolved -> {
                if (finished.get()) {
                    return;
                }
                if (resolved.failed()) {
                    fail(resolved.cause());
                    return;
                }
                send(target, resolved.result(), method, body, sendCallerHeaders);
            });
        }

        private Future<InetAddress> addresses(TargetUrl target) {
            if (target.literal().isPresent()) {
                return checked(target, List.of(target.literal().get()));
            }
            Promise<List<InetAddress>> lookup = Promise.promise();
            try {
                resolver.resolve(target.host()).subscribe().with(lookup::tryComplete, lookup::tryFail);
            } catch (RuntimeException e) {
                lookup.tryFail(e);
            }
            return lookup.future()
                    .recover(e -> Future.failedFuture(new HttpCallFailure(HttpCallFailure.HTTP,
                            "cannot resolve " + target.host() + describe(e))))
                    .compose(found -> checked(target, found));
        }

        private Future<InetAddress> checked(TargetUrl target, List<InetAddress> found) {
            if (found == null || found.isEmpty()) {
                return Future.failedFuture(new HttpCallFailure(HttpCallFailure.HTTP,
                        "cannot resolve " + target.host() + ": no addresses"));
            }
            for (InetAddress address : found) {
                if (check.refusal(address).isPresent()) {
                    // Neither the address nor the rule: a tenant must not learn how internal names resolve.
                    return Future.failedFuture(new HttpCallFailure(HttpCallFailure.FORBIDDEN_TARGET,
                            HttpCallFailure.FORBIDDEN_TARGET_MESSAGE));
                }
            }
            return Future.succeededFuture(found.get(0));
        }

        private void send(TargetUrl target, InetAddress address, HttpMethod method, Buffer body,
                boolean sendCallerHeaders) {
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    // The checked address, never the name: Vert.x must not resolve the host a second time.
                    .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())))
                    .setHost(target.host())
                    .setPort(target.port())
                    .setSsl(target.https())
                    .setURI(target.requestUri())
                    .setFollowRedirects(false)
                    .setConnectTimeout(Math.max(1, remainingMillis()));
            MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
            if (sendCallerHeaders) {
                callerHeaders.forEach(headers::set);
            }
            if (target.host().indexOf(':') >= 0) {
                // Vert.x writes an IPv6 host without brackets; RFC 9110 wants them in Host.
                headers.set("Host", "[" + target.host() + "]" + (target.defaultPort() ? "" : ":" + target.port()));
            }
            headers.set("User-Agent", USER_AGENT);
            if (idempotencyKey != null) {
                headers.set("Idempotency-Key", idempotencyKey);
            }
            if (body != null && !headers.contains("Content-Type")) {
                headers.set("Content-Type", "application/json");
            }
            options.setHeaders(headers);

            // Issued from a thread outside any Vert.x context (the caller's, a resolver's), about one request in
            // seventy on a kept-alive connection lost the end of its response before the handlers below were set,
            // and hung until the deadline. On the exchange's own context, request and response events stay ordered.
            context.runOnContext(onContext -> client.request(options)
                    .compose(request -> {
                        inFlight = request;
                        // Failures reach the request's own handlers; without this Vert.x also logs them as errors.
                        request.connection().exceptionHandler(ignored -> { });
                        if (finished.get()) {
                            request.reset();
                            return Future.failedFuture(new IllegalStateException("finished"));
                        }
                        return body == null ? request.send() : request.send(body);
                    })
                    .onSuccess(response -> receive(target, method, body, sendCallerHeaders, response))
                    .onFailure(this::fail));
        }

        private void receive(TargetUrl target, HttpMethod method, Buffer body, boolean sentCallerHeaders,
                HttpClientResponse response) {
            int status = response.statusCode();
            String location = response.getHeader("Location");
            if (finished.get() || (policy.maxRedirects() > 0 && REDIRECTS.contains(status) && location != null)) {
                // This response is done with: the reset that closes it must not count as a failure of the call.
                response.exceptionHandler(ignored -> { });
                if (!finished.get()) {
                    redirect(target, method, body, sentCallerHeaders, status, location);
                }
                return;
            }
            // Resets on our side (deadline, cap) surface here too; fail() keeps the first outcome.
            response.exceptionHandler(this::fail);
            readBody(response);
        }

        private void redirect(TargetUrl from, HttpMethod method, Buffer body, boolean sentCallerHeaders, int status,
                String location) {
            // The redirect's own body is of no interest: closing the connection is cheaper than draining it.
            resetInFlight();
            if (redirectsFollowed == policy.maxRedirects()) {
                fail(new HttpCallFailure(HttpCallFailure.LIMIT,
                        "more than " + policy.maxRedirects() + " redirects"));
                return;
            }
            redirectsFollowed++;
            TargetUrl next;
            try {
                next = from.resolve(location);
            } catch (HttpCallFailure failure) {
                fail(failure);
                return;
            }
            boolean toGet = (status == 303 && method != HttpMethod.HEAD)
                    || ((status == 301 || status == 302) && method == HttpMethod.POST);
            hop(next, toGet ? HttpMethod.GET : method, toGet ? null : body,
                    sentCallerHeaders && from.sameOrigin(next));
        }

        private void readBody(HttpClientResponse response) {
            long max = policy.maxResponseBytes();
            String declaredLength = response.getHeader("Content-Length");
            // Refuse a declared oversize body at once; the count below still guards chunked and lying responses.
            if (declaredLength != null && !declaredLength.isEmpty()
                    && declaredLength.chars().allMatch(c -> c >= '0' && c <= '9')
                    && (declaredLength.length() > 18 || Long.parseLong(declaredLength) > max)) {
                fail(tooLarge(max));
                return;
            }
            Buffer received = Buffer.buffer();
            response.handler(chunk -> {
                if (received.length() + (long) chunk.length() > max) {
                    fail(tooLarge(max));
                } else if (!finished.get()) {
                    received.appendBuffer(chunk);
                }
            });
            response.endHandler(end -> {
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(timerId);
                    result.tryComplete(new HttpCallResult(response.statusCode(), headers(response.headers()),
                            ResponseBodies.toJson(received.getBytes(), response.getHeader("Content-Type"))));
                }
            });
        }

        private HttpCallFailure tooLarge(long max) {
            return new HttpCallFailure(HttpCallFailure.LIMIT, "response body is larger than " + max + " bytes");
        }

        private void fail(Throwable cause) {
            if (finished.compareAndSet(false, true)) {
                if (timerId != -1) {
                    vertx.cancelTimer(timerId);
                }
                resetInFlight();
                result.tryFail(failure(cause));
            }
        }

        private void resetInFlight() {
            HttpClientRequest request = inFlight;
            if (request != null) {
                request.reset();
            }
        }

        private long remainingMillis() {
            return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
        }

        private Duration timeout(Duration requested) throws HttpCallFailure {
            if (requested == null) {
                return policy.maxTimeout();
            }
            if (requested.isNegative() || requested.isZero()) {
                throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST, "timeout must be positive");
            }
            return requested.compareTo(policy.maxTimeout()) > 0 ? policy.maxTimeout() : requested;
        }
    }

    private static HttpCallFailure failure(Throwable cause) {
        if (cause instanceof HttpCallFailure failure) {
            return failure;
        }
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return new HttpCallFailure(HttpCallFailure.TIMEOUT, "timed out" + describe(cause), cause);
        }
        if (cause instanceof ConnectException) {
            return new HttpCallFailure(HttpCallFailure.HTTP, "connection failed" + describe(cause), cause);
        }
        if (cause instanceof SSLException) {
            return new HttpCallFailure(HttpCallFailure.HTTP, "TLS failure" + describe(cause), cause);
        }
        if (cause instanceof UnknownHostException) {
            return new HttpCallFailure(HttpCallFailure.HTTP, "DNS failure" + describe(cause), cause);
        }
        return new HttpCallFailure(HttpCallFailure.HTTP, "request failed" + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? ": " + cause.getClass().getSimpleName() : ": " + cause.getMessage();
    }

    private static HttpMethod method(String method) throws HttpCallFailure {
        String upper = method == null ? "" : method.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST,
                    "method must be one of " + new TreeSet<>(METHODS));
        }
        return HttpMethod.valueOf(upper);
    }

    private static Map<String, String> validHeaders(Map<String, String> headers) throws HttpCallFailure {
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> valid = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || !isToken(name)) {
                throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST, "header name is not a valid token");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_HEADERS.contains(lower) || lower.startsWith("proxy-")) {
                throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST, "header " + name + " cannot be set");
            }
            if (header.getValue() == null || !isFieldValue(header.getValue())) {
                // The value may be a secret: name the header only.
                throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST,
                        "header " + name + " has an invalid value");
            }
            if (!CLIENT_HEADERS.contains(lower)) {
                valid.put(name, header.getValue());
            }
        }
        return Collections.unmodifiableMap(valid);
    }

    private static String validIdempotencyKey(String key) throws HttpCallFailure {
        if (key != null && (key.isEmpty() || !isFieldValue(key))) {
            throw new HttpCallFailure(HttpCallFailure.INVALID_REQUEST, "idempotency key is not a valid header value");
        }
        return key;
    }

    /** RFC 9110 token. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field value: visible ASCII, spaces and tabs, obs-text; no CR, LF, NUL or other controls. */
    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case names, first value of each, cookies dropped: step records must not keep session cookies. */
    private static Map<String, String> headers(MultiMap headers) {
        Map<String, String> result = new TreeMap<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("set-cookie") && !lower.equals("set-cookie2")) {
                result.putIfAbsent(lower, headers.get(name));
            }
        }
        return Collections.unmodifiableMap(result);
    }
}
