package io.nexus.workflow.definition;

import static io.nexus.workflow.definition.Definitions.error;
import static io.nexus.workflow.definition.Definitions.errors;
import static io.nexus.workflow.definition.Definitions.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;

/** The config rules of each node type (docs/api.md §5 table), one broken rule at a time. */
class NodeConfigRulesTest {

    /** A one-node definition of the given type and config (backquotes stand for double quotes). */
    private static ObjectNode single(String type, String config) {
        return object("{`name`: `one`, `nodes`: [{`id`: `n`, `type`: `" + type + "`, `config`: " + config + "}]}");
    }

    private static void assertOnly(String type, String config, FieldError expected) {
        assertEquals(List.of(expected), errors(single(type, config)));
    }

    private static void assertValid(String type, String config) {
        assertEquals(List.of(), errors(single(type, config)));
    }

    @Test
    void rejectsAConfigThatIsNotAnObject() {
        assertOnly("transform", "`inputs`", error("nodes[0].config", "must be an object, got string 'inputs'"));
    }

    @Test
    void rejectsUnknownConfigKeys() {
        assertOnly("transform", "{`expression`: `inputs`, `cache`: true}", error("nodes[0].config.cache", "unknown field"));
    }

    @Test
    void transformNeedsACompilingExpression() {
        assertValid("transform", "{`expression`: `{'y': inputs.x * 2}`}");
        assertOnly("transform", "{}", error("nodes[0].config.expression", "is required"));
        assertOnly("transform", "{`expression`: `foo.bar`}",
                error("nodes[0].config.expression", "does not compile: undeclared reference to 'foo' at column 1"));
        assertOnly("transform", "{`expression`: 42}",
                error("nodes[0].config.expression", "must be a CEL expression string, got number 42"));
    }

    @Test
    void conditionNeedsABooleanExpression() {
        assertValid("condition", "{`expression`: `inputs.x > 1`}");
        assertValid("condition", "{`expression`: `inputs.flag`}");
        assertOnly("condition", "{`expression`: `'yes'`}",
                error("nodes[0].config.expression", "must evaluate to a bool, but its type is string"));
    }

    @Test
    void httpNeedsAMethodAndAUrlExpression() {
        assertValid("http", "{`method`: `POST`, `url`: `'https://example.org/' + inputs.id`,"
                + " `headers`: {`X-Trace`: `inputs.trace`}, `body`: `inputs`, `timeoutMs`: 30000}");
        assertOnly("http", "{`url`: `'https://example.org'`}", error("nodes[0].config.method", "is required"));
        assertOnly("http", "{`method`: `get`, `url`: `'https://example.org'`}", error("nodes[0].config.method",
                "unknown HTTP method 'get', expected one of GET, POST, PUT, PATCH, DELETE, HEAD"));
        assertOnly("http", "{`method`: `GET`}", error("nodes[0].config.url", "is required"));
        assertOnly("http", "{`method`: `GET`, `url`: `42`}",
                error("nodes[0].config.url", "must evaluate to a string, but its type is int"));
        assertOnly("http", "{`method`: `GET`, `url`: `'https://example.org'`, `timeoutMs`: 30001}",
                error("nodes[0].config.timeoutMs", "must be between 1 and 30,000, got 30,001"));
        assertOnly("http", "{`method`: `GET`, `url`: `'https://example.org'`, `body`: `inputs.`}",
                error("nodes[0].config.body", errors(single("transform", "{`expression`: `inputs.`}")).get(0).message()));
    }

    @Test
    void httpHeadersAreNamedStringExpressions() {
        assertOnly("http", "{`method`: `GET`, `url`: `'https://example.org'`, `headers`: [`X-A`]}",
                error("nodes[0].config.headers", "must be an object, got an array"));
        assertOnly("http", "{`method`: `GET`, `url`: `'https://example.org'`, `headers`: {`bad name`: `'v'`}}",
                error("nodes[0].config.headers['bad name']", "invalid header name 'bad name'"));
        assertOnly("http", "{`method`: `GET`, `url`: `'https://example.org'`, `headers`: {`X-Count`: `1`}}",
                error("nodes[0].config.headers.X-Count", "must evaluate to a string, but its type is int"));
    }

    @Test
    void delayNeedsADurationOrATimestamp() {
        assertValid("delay", "{`durationMs`: 1000}");
        assertValid("delay", "{`until`: `timestamp('2030-01-01T00:00:00Z')`}");
        assertValid("delay", "{`until`: `inputs.at`}");
        assertOnly("delay", "{}", error("nodes[0].config.durationMs", "is required (or until)"));
        assertOnly("delay", "{`durationMs`: 1000, `until`: `inputs.at`}",
                error("nodes[0].config", "set durationMs or until, not both"));
        assertOnly("delay", "{`durationMs`: 2592000001}",
                error("nodes[0].config.durationMs", "must be between 1 and 2,592,000,000, got 2,592,000,001"));
        assertOnly("delay", "{`until`: `'2030-01-01'`}", error("nodes[0].config.until",
                "must evaluate to a timestamp, but its type is string"));
    }

    @Test
    void waitNeedsASignalName() {
        assertValid("wait", "{`signal`: `approved.v1`, `timeoutMs`: 60000}");
        assertOnly("wait", "{}", error("nodes[0].config.signal", "is required"));
        assertOnly("wait", "{`signal`: `go now!`}", error("nodes[0].config.signal",
                "invalid signal name 'go now!': must match [A-Za-z0-9_.-]{1,100}"));
        assertOnly("wait", "{`signal`: `go`, `timeoutMs`: 0}",
                error("nodes[0].config.timeoutMs", "must be between 1 and 2,592,000,000, got 0"));
    }

    @Test
    void subworkflowNeedsAWorkflowName() {
        assertValid("subworkflow", "{`workflow`: `billing`, `version`: 3, `inputs`: `{'order': inputs.order}`}");
        assertOnly("subworkflow", "{}", error("nodes[0].config.workflow", "is required"));
        assertOnly("subworkflow", "{`workflow`: `Billing`}", error("nodes[0].config.workflow",
                "invalid workflow name 'Billing': must match [a-z0-9][a-z0-9-]{0,62}"));
        assertOnly("subworkflow", "{`workflow`: `billing`, `version`: 0}",
                error("nodes[0].config.version", "must be between 1 and 2,147,483,647, got 0"));
        assertOnly("subworkflow", "{`workflow`: `billing`, `inputs`: `[1]`}",
                error("nodes[0].config.inputs", "must evaluate to a map, but its type is list(int)"));
    }

    @Test
    void sessionMayMergeAMap() {
        assertValid("session", "{}");
        assertValid("session", "{`merge`: `{'lastOrder': inputs.id}`}");
        assertEquals(List.of(), errors(object("{`name`: `s`, `nodes`: [{`id`: `s`, `type`: `session`}]}")));
        assertOnly("session", "{`merge`: `'x'`}",
                error("nodes[0].config.merge", "must evaluate to a map, but its type is string"));
    }

    @Test
    void eventNeedsAType() {
        assertValid("event", "{`type`: `order.created`, `data`: `inputs`}");
        assertOnly("event", "{`data`: `inputs`}", error("nodes[0].config.type", "is required"));
        assertOnly("event", "{`type`: `.hidden`}", error("nodes[0].config.type",
                "invalid event type '.hidden': must match [a-zA-Z0-9][a-zA-Z0-9._-]{0,99}"));
    }

    @Test
    void failNeedsAStringMessage() {
        assertValid("fail", "{`message`: `'order ' + string(inputs.id) + ' rejected'`}");
        assertOnly("fail", "{}", error("nodes[0].config.message", "is required"));
        assertOnly("fail", "{`message`: `inputs.x > 1`}",
                error("nodes[0].config.message", "must evaluate to a string, but its type is bool"));
    }
}
