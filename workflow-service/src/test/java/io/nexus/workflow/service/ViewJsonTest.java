package io.nexus.workflow.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.definition.NodeType;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.nexus.workflow.domain.WorkflowSummary;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.nexus.workflow.engine.ExecutionResult;

/**
 * Pins the JSON of every view (docs/api.md §4) as the application's ObjectMapper writes it: field names and order,
 * nulls written as null, optional fields left out, timestamps as {@link Instant#toString()} writes them.
 */
class ViewJsonTest {

    /** Configured as Quarkus configures the application's mapper by default (no quarkus.jackson.* set). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final UUID ID = UUID.fromString("0193a2b0-7c1e-7d3a-9f00-00000000e001");
    private static final UUID TENANT = UUID.fromString("0193a2b0-7c1e-7d3a-9f00-0000000000aa");
    private static final Instant CREATED = Instant.parse("2026-11-26T10:15:30.123456Z");
    private static final Instant STARTED = Instant.parse("2026-11-26T10:15:30.200Z");
    private static final Instant FINISHED = Instant.parse("2026-11-26T10:15:31Z");
    private static final List<NodeDefinition> NODES = List.of(node("double"), node("shape"));

    @Test
    void aCompletedExecutionListsEveryStepWithNullsWritten() {
        ExecutionRecord execution = execution(ExecutionStatus.COMPLETED, json("{`shape`: {`result`: 11}}"), null,
                FINISHED);
        StepRecord doubled = new StepRecord("double", 0, StepStatus.COMPLETED, 1, STARTED, FINISHED,
                json("{`y`: 10}"), null);

        assertJson("""
                {`id`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`workflow`:`orders`,`version`:2,`status`:`completed`,\
                `channel`:`api`,`sessionId`:null,`inputs`:{`x`:5},`outputs`:{`shape`:{`result`:11}},`error`:null,\
                `steps`:[\
                {`node`:`double`,`status`:`completed`,`attempts`:1,`startedAt`:`2026-11-26T10:15:30.200Z`,\
                `finishedAt`:`2026-11-26T10:15:31Z`,`output`:{`y`:10},`error`:null},\
                {`node`:`shape`,`status`:`cancelled`,`attempts`:0,`startedAt`:null,`finishedAt`:null,`output`:null,\
                `error`:null}],\
                `createdAt`:`2026-11-26T10:15:30.123456Z`,`startedAt`:`2026-11-26T10:15:30.200Z`,\
                `finishedAt`:`2026-11-26T10:15:31Z`}""", ExecutionViews.full(execution, NODES, List.of(doubled)));
    }

    @Test
    void aRunningExecutionShowsUnreachedStepsAsPending() {
        ExecutionRecord execution = execution(ExecutionStatus.RUNNING, null, null, null);

        assertJson("""
                {`id`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`workflow`:`orders`,`version`:2,`status`:`running`,\
                `channel`:`api`,`sessionId`:null,`inputs`:{`x`:5},`outputs`:null,`error`:null,\
                `steps`:[\
                {`node`:`double`,`status`:`pending`,`attempts`:0,`startedAt`:null,`finishedAt`:null,`output`:null,\
                `error`:null},\
                {`node`:`shape`,`status`:`pending`,`attempts`:0,`startedAt`:null,`finishedAt`:null,`output`:null,\
                `error`:null}],\
                `createdAt`:`2026-11-26T10:15:30.123456Z`,`startedAt`:`2026-11-26T10:15:30.200Z`,`finishedAt`:null}\
                """, ExecutionViews.full(execution, NODES, List.of()));
    }

    @Test
    void aStepIsSentOnAStreamAsTheExecutionListsIt() throws Exception {
        StepRecord failed = new StepRecord("double", 0, StepStatus.FAILED, 3, STARTED, FINISHED, null,
                new ExecutionError(ExecutionError.EXPRESSION, "division by zero", null));
        ExecutionRecord execution = execution(ExecutionStatus.FAILED, null,
                new ExecutionError(ExecutionError.EXPRESSION, "division by zero", "double"), FINISHED);

        String step = MAPPER.writeValueAsString(ExecutionViews.step(failed));

        assertEquals("""
                {"node":"double","status":"failed","attempts":3,"startedAt":"2026-11-26T10:15:30.200Z",\
                "finishedAt":"2026-11-26T10:15:31Z","output":null,\
                "error":{"code":"expression","message":"division by zero"}}""", step);
        JsonNode listed = MAPPER.valueToTree(ExecutionViews.full(execution, NODES, List.of(failed)));
        assertEquals(listed.get("steps").get(0), MAPPER.readTree(step));
    }

    @Test
    void aListedExecutionHasNoInputsOutputsOrSteps() {
        ExecutionRecord execution = new ExecutionRecord(ID, TENANT, "orders", UUID.randomUUID(), 2,
                ExecutionStatus.CANCELLED, ExecutionMode.ASYNC, "mcp", "sess-1", json("{`x`: 5}"), null,
                new ExecutionError(ExecutionError.CANCELLED, "cancelled by request", null), null, CREATED, null,
                null);

        assertJson("""
                {`id`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`workflow`:`orders`,`version`:2,`status`:`cancelled`,\
                `channel`:`mcp`,`sessionId`:`sess-1`,`error`:{`code`:`cancelled`,`message`:`cancelled by request`},\
                `createdAt`:`2026-11-26T10:15:30.123456Z`,`finishedAt`:null}""", ExecutionViews.summary(execution));
    }

    @Test
    void anOutcomeWritesNullOutputsAndTheErrorWithItsNode() {
        ExecutionResult failed = new ExecutionResult(ID, ExecutionStatus.FAILED, null,
                new ExecutionError(ExecutionError.TIMEOUT, "the execution ran out of time", "stuck"), 300);
        ExecutionResult completed = new ExecutionResult(ID, ExecutionStatus.COMPLETED, json("{`only`: `v1`}"), null,
                0);

        assertJson("""
                {`executionId`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`status`:`failed`,`outputs`:null,\
                `error`:{`code`:`timeout`,`message`:`the execution ran out of time`,`node`:`stuck`},`durationMs`:300}\
                """, ExecutionViews.result(failed));
        assertJson("""
                {`executionId`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`status`:`completed`,\
                `outputs`:{`only`:`v1`},`error`:null,`durationMs`:0}""", ExecutionViews.result(completed));
    }

    @Test
    void acceptedStartsAndSignalsSayWhichExecution() {
        assertJson("{`executionId`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`status`:`pending`}",
                ExecutionViews.accepted(ID, ExecutionStatus.PENDING));
        assertJson("{`executionId`:`0193a2b0-7c1e-7d3a-9f00-00000000e001`,`signal`:`approve`,`status`:`accepted`}",
                ExecutionViews.signalAccepted(ID, "approve"));
    }

    @Test
    void aVersionIsItsDefinitionBetweenTheNumbersAndTheTimes() {
        JsonNode definition = json("""
                {`name`: `orders`, `description`: `three pure steps`, `timeoutMs`: null,
                 `nodes`: [{`id`: `double`, `type`: `transform`, `config`: {`expression`: `1`}}], `edges`: []}""");
        WorkflowVersionRecord version = new WorkflowVersionRecord(UUID.randomUUID(), UUID.randomUUID(), "orders", 1,
                3, definition, CREATED, FINISHED);

        assertJson("""
                {`name`:`orders`,`version`:1,`latestVersion`:3,`description`:`three pure steps`,`timeoutMs`:null,\
                `nodes`:[{`id`:`double`,`type`:`transform`,`config`:{`expression`:`1`}}],`edges`:[],\
                `createdAt`:`2026-11-26T10:15:30.123456Z`,`versionCreatedAt`:`2026-11-26T10:15:31Z`}""",
                WorkflowViews.version(version));
    }

    @Test
    void aListedWorkflowHasADescriptionOnlyWhenItHasOne() {
        assertJson("""
                {`name`:`orders`,`description`:`three pure steps`,`latestVersion`:3,\
                `createdAt`:`2026-11-26T10:15:30.123456Z`,`updatedAt`:`2026-11-26T10:15:31Z`}""",
                WorkflowViews.summary(new WorkflowSummary(ID, "orders", "three pure steps", 3, CREATED, FINISHED)));
        assertJson("""
                {`name`:`orders`,`latestVersion`:1,`createdAt`:`2026-11-26T10:15:30.123456Z`,\
                `updatedAt`:`2026-11-26T10:15:30.123456Z`}""",
                WorkflowViews.summary(new WorkflowSummary(ID, "orders", null, 1, CREATED, CREATED)));
    }

    @Test
    void timestampsAreWrittenAsInstantToStringWritesThem() throws Exception {
        for (Instant at : List.of(CREATED, STARTED, FINISHED, Instant.parse("2026-11-26T10:15:30.000001Z"))) {
            assertEquals("\"" + at + "\"", MAPPER.writeValueAsString(at));
        }
    }

    private static ExecutionRecord execution(ExecutionStatus status, JsonNode outputs, ExecutionError error,
            Instant finishedAt) {
        return new ExecutionRecord(ID, TENANT, "orders", UUID.randomUUID(), 2, status, ExecutionMode.SYNC, "api",
                null, json("{`x`: 5}"), outputs, error, FINISHED.plusSeconds(60), CREATED, STARTED, finishedAt);
    }

    private static NodeDefinition node(String id) {
        return new NodeDefinition(id, NodeType.TRANSFORM, json("{`expression`: `1`}"), null, null, null);
    }

    private static void assertJson(String expected, Object view) {
        try {
            assertEquals(expected.replace('`', '"'), MAPPER.writeValueAsString(view));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('`', '"'));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
