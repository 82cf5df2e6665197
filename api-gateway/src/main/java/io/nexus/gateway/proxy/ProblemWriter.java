package io.nexus.gateway.proxy;

import jakarta.inject.Singleton;

import java.util.Map;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** Writes RFC 9457 problems on the gateway's own Vert.x routes, in the same shape the services' mappers produce. */
@Singleton
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Future<Void> write(HttpServerResponse response, ProblemType type, String detail, String instance) {
        return write(response, new ProblemException(type, detail), instance);
    }

    /** Writes the problem; the future completes when it has been written. */
    public Future<Void> write(HttpServerResponse response, ProblemException problem, String instance) {
        if (response.headWritten() || response.ended()) {
            // Too late for a problem document (the upstream's answer is streaming): cut the connection instead.
            response.reset();
            return Future.succeededFuture();
        }
        Problem body = problem.toProblem(instance);
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            json = "{\"status\":" + body.status() + "}";
        }
        response.setStatusCode(body.status());
        response.putHeader("Content-Type", Problem.MEDIA_TYPE);
        for (Map.Entry<String, String> header : problem.headers().entrySet()) {
            response.putHeader(header.getKey(), header.getValue());
        }
        return response.end(json);
    }
}
