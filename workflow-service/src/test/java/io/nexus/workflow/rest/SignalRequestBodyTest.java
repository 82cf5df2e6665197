package io.nexus.workflow.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.validation.StrictJsonBodyReader;
import io.nexus.workflow.rest.dto.SendSignalRequest;

/**
 * A signal's body as the signal endpoint reads it: {@link EmptyBodyAsEmptyObject} in front of common's strict reader.
 * What the resource did by hand before: no body or {@code {}} send no payload, an explicit null payload is JSON null,
 * anything else but {@code payload} is a 400 naming the field.
 */
class SignalRequestBodyTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

    private final StrictJsonBodyReader reader = new StrictJsonBodyReader(new ObjectMapper(), VALIDATOR);

    @Test
    void noBodySendsNoPayload() throws IOException {
        assertNull(read("").payload());
    }

    @Test
    void anEmptyObjectSendsNoPayload() throws IOException {
        assertNull(read("{}").payload());
    }

    @Test
    void anExplicitNullPayloadIsJsonNull() throws IOException {
        assertEquals(NullNode.getInstance(), read("{\"payload\": null}").payload());
    }

    @Test
    void anyJsonIsAPayload() throws IOException {
        assertEquals(IntNode.valueOf(1), read("{\"payload\": 1}").payload());
        assertEquals(new ObjectMapper().readTree("{\"by\": \"ana\"}"),
                read("{\"payload\": {\"by\": \"ana\"}}").payload());
    }

    @Test
    void anUnknownFieldIsA400NamingIt() {
        Problem problem = refused("{\"payload\": 1, \"extra\": true}");
        assertEquals(400, problem.status());
        assertEquals(List.of("extra"), problem.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsA400() {
        assertEquals(400, refused("[1]").status());
        assertEquals(400, refused("{\"payload\": ").status());
        assertEquals(400, refused(" ").status(), "only a body without a single byte counts as none");
    }

    private Problem refused(String body) {
        return assertThrows(ProblemException.class, () -> read(body)).toProblem("/api/v1/executions/x/signals/s");
    }

    /** Runs the interceptor around the reader, as the REST layer does for the signal endpoint. */
    private SendSignalRequest read(String body) throws IOException {
        InputStream[] stream = { new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)) };
        ReaderInterceptorContext context = (ReaderInterceptorContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { ReaderInterceptorContext.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> stream[0];
                    case "setInputStream" -> {
                        stream[0] = (InputStream) args[0];
                        yield null;
                    }
                    case "proceed" -> readRecord(stream[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (SendSignalRequest) new EmptyBodyAsEmptyObject().aroundReadFrom(context);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private Record readRecord(InputStream body) throws IOException {
        return reader.readFrom((Class) SendSignalRequest.class, SendSignalRequest.class, new Annotation[0],
                MediaType.APPLICATION_JSON_TYPE, new MultivaluedHashMap<>(), body);
    }
}
