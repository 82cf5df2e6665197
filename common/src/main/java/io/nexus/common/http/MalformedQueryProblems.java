package io.nexus.common.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Request targets that are not valid URIs ({@code ?cursor=%ZZ}, {@code %E0%A4} as UTF-8, {@code a|b}) answered with
 * the contract's problem+json, naming the query parameter or {@code path}. Quarkus checks the target itself, before any
 * route, and answers a bare 400 with an empty body; that check is switched off ({@code vertx.disableURIValidation},
 * set by {@link RequestTargetValidation} before the HTTP server starts) and this route, ahead of every other, does it instead. Control characters
 * in well-formed escapes are left to {@link RequestTextFilter}, which sees what the REST resources serve.
 */
@ApplicationScoped
public class MalformedQueryProblems {

    /** Read by Quarkus's root handler when the HTTP server starts; set by {@link RequestTargetValidation}. */
    static final String QUARKUS_URI_VALIDATION_OFF = "vertx.disableURIValidation";
    /** Ahead of every Quarkus route (the body handler, RESTEasy) and every other route of the service. */
    static final int ORDER = Integer.MIN_VALUE;

    private final ObjectMapper mapper;

    public MalformedQueryProblems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String target = context.request().uri();
        List<FieldError> errors = problems(target);
        if (errors.isEmpty()) {
            context.next();
            return;
        }
        int queryStart = target.indexOf('?');
        String body;
        try {
            body = mapper.writeValueAsString(ProblemException.invalid(errors).toProblem(queryStart < 0 ? null
                    : target.substring(0, queryStart)));
        } catch (JsonProcessingException e) {
            context.fail(400);
            return;
        }
        context.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
    }

    /** What makes {@code target} unusable as a URI; empty when it is one. */
    static List<FieldError> problems(String target) {
        return RequestTargets.isPlain(target) ? List.of() : decodedProblems(target);
    }

    /** {@link #problems} by decoding every part: what a target that is not plain needs. */
    static List<FieldError> decodedProblems(String target) {
        int queryStart = target.indexOf('?');
        List<FieldError> errors = new ArrayList<>(RequestTextFilter.malformedPath(queryStart < 0 ? target
                : target.substring(0, queryStart)));
        if (queryStart >= 0) {
            errors.addAll(RequestTextFilter.malformedQuery(target.substring(queryStart + 1)));
        }
        if (errors.isEmpty()) {
            try {
                new URI(target);
            } catch (URISyntaxException e) {
                boolean inQuery = queryStart >= 0 && e.getIndex() > queryStart;
                errors.add(new FieldError(inQuery ? "query" : "path", "is not a valid URI: "
                        + e.getReason().toLowerCase() + " at index " + e.getIndex()));
            }
        }
        return errors;
    }
}
