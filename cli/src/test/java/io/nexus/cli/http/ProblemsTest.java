package io.nexus.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexus.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void listsEveryFieldErrorOfAProblem() throws Exception {
        CliException failure = Problems.fromAnswer(422, json.readTree("""
                {"type": "urn:nexus:problem:unprocessable", "title": "Unprocessable content", "status": 422,
                 "detail": "the definition has 2 problems", "instance": "/api/v1/workflows",
                 "errors": [{"field": "nodes[0].type", "message": "unknown node type 'teleport'"},
                            {"field": "", "message": "not an object"}]}"""));
        assertEquals(2, failure.exitCode());
        assertEquals("422 unprocessable: the definition has 2 problems", failure.getMessage());
        assertEquals(List.of("nodes[0].type: unknown node type 'teleport'", "(body): not an object"),
                failure.details());
    }

    @Test
    void takesTheExitCodeFromTheStatus() throws Exception {
        CliException failure = Problems.fromAnswer(429, json.readTree("""
                {"type": "urn:nexus:problem:too-many-requests", "title": "Too many requests", "status": 429,
                 "detail": "concurrentExecutions quota of 5 reached"}"""));
        assertEquals(5, failure.exitCode());
        assertEquals("429 too-many-requests: concurrentExecutions quota of 5 reached", failure.getMessage());
    }

    @Test
    void reportsAnAnswerThatIsNotAProblemByItsStatus() {
        CliException failure = Problems.fromAnswer(502, null);
        assertEquals(6, failure.exitCode());
        assertEquals("the API answered 502", failure.getMessage());
    }
}
