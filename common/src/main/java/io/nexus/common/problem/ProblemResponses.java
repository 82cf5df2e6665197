package io.nexus.common.problem;

import jakarta.ws.rs.core.Response;

/**
 * Builds problem+json responses, so every error a Nexus service answers has the same shape and media type.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(ProblemException exception, String instance) {
        Response.ResponseBuilder builder = Response.status(exception.type().status())
                .type(Problem.MEDIA_TYPE)
                .entity(exception.toProblem(instance));
        exception.headers().forEach(builder::header);
        return builder.build();
    }

    public static Response of(ProblemType type, String detail, String instance) {
        return of(new ProblemException(type, detail), instance);
    }
}
