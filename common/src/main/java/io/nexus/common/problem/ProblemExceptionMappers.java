package io.nexus.common.problem;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.nexus.common.validation.ConstraintViolations;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;

/**
 * Turns every exception that escapes a resource into an RFC 9457 problem. Nothing internal (stack traces, class
 * names, addresses) reaches the client; server-side failures are logged with the request id instead.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException exception, UriInfo uriInfo) {
        return ProblemResponses.of(exception, instance(uriInfo));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, UriInfo uriInfo) {
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(exception, "Request to %s failed", instance(uriInfo));
        }
        return ProblemResponses.of(ProblemType.forStatus(status), detailFor(status, uriInfo), instance(uriInfo));
    }

    @ServerExceptionMapper
    public Response violation(ResteasyReactiveViolationException exception, UriInfo uriInfo) {
        return constraintViolation(exception, uriInfo);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException exception, UriInfo uriInfo) {
        boolean onReturnValue = exception.getConstraintViolations().stream()
                .anyMatch(violation -> lastKind(violation.getPropertyPath()) == ElementKind.RETURN_VALUE);
        if (onReturnValue) {
            return unexpected(exception, uriInfo);
        }
        List<FieldError> errors = ConstraintViolations.toFieldErrors(exception.getConstraintViolations()).stream()
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return ProblemResponses.of(ProblemException.invalid(errors), instance(uriInfo));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException exception, UriInfo uriInfo) {
        return ProblemResponses.of(ProblemType.INVALID_REQUEST, "the request body is not valid JSON", instance(uriInfo));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable exception, UriInfo uriInfo) {
        if (ConnectionFailures.isConnectionLost(exception)) {
            // A connection lost mid-request (a database restart, a terminated backend): the pool recovers, so retry.
            LOG.warnf("Database connection lost handling %s: %s", instance(uriInfo), exception.getMessage());
            return ProblemResponses.of(new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the database connection "
                    + "was lost; retry shortly", List.of(), Map.of("Retry-After", "1")), instance(uriInfo));
        }
        LOG.errorf(exception, "Unexpected failure handling %s", instance(uriInfo));
        return ProblemResponses.of(ProblemType.INTERNAL, "the server could not complete the request", instance(uriInfo));
    }

    private static String detailFor(int status, UriInfo uriInfo) {
        return switch (status) {
            case 404 -> "no resource at " + instance(uriInfo);
            case 405 -> "the method is not allowed on " + instance(uriInfo);
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "the request media type is not supported; send application/json";
            default -> status >= 500 ? "the server could not complete the request" : "the request was rejected";
        };
    }

    private static ElementKind lastKind(Path path) {
        ElementKind kind = null;
        for (Path.Node node : path) {
            kind = node.getKind();
        }
        return kind;
    }

    private static String instance(UriInfo uriInfo) {
        return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
    }
}
