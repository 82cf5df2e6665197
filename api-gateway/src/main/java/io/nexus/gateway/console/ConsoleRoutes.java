package io.nexus.gateway.console;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.nexus.common.identity.RequestPaths;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.gateway.proxy.ProblemWriter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the web console (console/, issue 19) at {@code /console/}: the built files from memory, their gzip variant
 * when the client takes it, with a CSP that allows only this origin. Routed apart from {@code /api/*}, so nothing here
 * touches the proxy path; the console talks to the API like any other client, with the user's key.
 */
@Singleton
public class ConsoleRoutes {

    static final String PREFIX = "/console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private static final String INDEX = "index.html";

    private final ConsoleFiles files;
    private final ProblemWriter problems;

    public ConsoleRoutes(ConsoleFiles files, ProblemWriter problems) {
        this.files = files;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route(PREFIX).handler(this::handle);
        router.route(PREFIX + "/*").handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        securityHeaders(out);
        // The raw path, not Vert.x's normalised one: a path that only names a file after decoding or dot removal is
        // refused rather than resolved (the same rule as /api, docs/api.md §3).
        String rawPath = in.path();
        FieldError badPath = RequestPaths.pathError(rawPath);
        if (badPath != null) {
            problem(out, ProblemException.invalid(List.of(badPath)), rawPath);
            return;
        }
        if (in.method() != HttpMethod.GET && in.method() != HttpMethod.HEAD) {
            out.putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            problem(out, new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
                    in.method().name() + " is not allowed on the console; use GET or HEAD"), rawPath);
            return;
        }
        Optional<ConsoleFile> file = files.get(relativePath(rawPath));
        if (file.isEmpty()) {
            problem(out, ProblemException.notFound("no console file at " + rawPath), rawPath);
            return;
        }
        send(in, out, file.get());
    }

    private static String relativePath(String rawPath) {
        String rest = rawPath.length() <= PREFIX.length() ? "" : rawPath.substring(PREFIX.length() + 1);
        return rest.isEmpty() ? INDEX : rest;
    }

    private static void send(HttpServerRequest in, HttpServerResponse out, ConsoleFile file) {
        boolean gzip = file.gzip() != null && AcceptEncoding.allowsGzip(in.getHeader(HttpHeaders.ACCEPT_ENCODING));
        String etag = gzip ? file.gzipEtag() : file.identityEtag();
        out.putHeader(HttpHeaders.CACHE_CONTROL, file.cacheControl());
        out.putHeader(HttpHeaders.ETAG, etag);
        if (file.gzip() != null) {
            out.putHeader(HttpHeaders.VARY, "Accept-Encoding");
        }
        if (etagMatches(in.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            out.setStatusCode(304).end();
            return;
        }
        out.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType());
        if (gzip) {
            out.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        var body = gzip ? file.gzip() : file.identity();
        out.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        if (in.method() == HttpMethod.HEAD) {
            out.end();
        } else {
            out.end(body);
        }
    }

    static boolean etagMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static void securityHeaders(HttpServerResponse out) {
        out.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        out.putHeader("X-Content-Type-Options", "nosniff");
        out.putHeader("Referrer-Policy", "no-referrer");
    }

    /** Problems are not cached (a file may appear with the next deployment); the rest as every gateway problem. */
    private void problem(HttpServerResponse out, ProblemException problem, String instance) {
        out.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        problems.write(out, problem, instance);
    }
}
