package io.nexus.events.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Each factory copies every field of the execution into the event, in the right place. */
class ExecutionEventFactoriesTest {

    private static final UUID ID = UUID.fromString("0193a2b0-7c1e-7d3a-9f00-00000000e001");
    private static final UUID TENANT = UUID.fromString("0193a2b0-7c1e-7d3a-9f00-0000000000aa");
    private static final UUID PARENT = UUID.fromString("0193a2b0-7c1e-7d3a-9f00-00000000e000");
    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");
    private static final Execution EXECUTION = new Execution(ID, TENANT, "order-intake", 3, "mcp", "sess-1");

    /** A producer's execution type, as workflow-service's execution record is one. */
    private record Execution(UUID id, UUID tenantId, String workflow, int version, String channel, String sessionId)
            implements ExecutionAggregate {
    }

    @Test
    void startedCarriesTheExecutionItsParentAndItsStart() {
        ExecutionStarted started = ExecutionStarted.of(EXECUTION, PARENT, AT);

        assertEquals(new ExecutionStarted(ID.toString(), TENANT.toString(), "order-intake", 3, "mcp", "sess-1",
                PARENT.toString(), AT), started);
        assertEveryFieldSet(started);
    }

    @Test
    void aRootExecutionStartsWithoutParent() {
        ExecutionStarted started = ExecutionStarted.of(EXECUTION, null, AT);

        assertEquals(null, started.parentExecutionId());
        assertEquals(ID.toString(), started.aggregateId());
    }

    @Test
    void completedCarriesTheExecutionAndItsDuration() {
        ExecutionCompleted completed = ExecutionCompleted.of(EXECUTION, 42, AT);

        assertEquals(new ExecutionCompleted(ID.toString(), TENANT.toString(), "order-intake", 3, "mcp", 42, AT),
                completed);
        assertEveryFieldSet(completed);
    }

    @Test
    void failedCarriesTheErrorCodeAndNodeButNoMessage() {
        ExecutionFailed failed = ExecutionFailed.of(EXECUTION, "expression", "shape", 7, AT);

        assertEquals(new ExecutionFailed(ID.toString(), TENANT.toString(), "order-intake", 3, "mcp", "expression",
                "shape", 7, AT), failed);
        assertEveryFieldSet(failed);
    }

    @Test
    void cancelledIsFinishedAtTheCancel() {
        ExecutionCancelled cancelled = ExecutionCancelled.of(EXECUTION, 9, AT);

        assertEquals(new ExecutionCancelled(ID.toString(), TENANT.toString(), "order-intake", 3, "mcp", 9, AT),
                cancelled);
        assertEveryFieldSet(cancelled);
    }

    @Test
    void stepCompletedCarriesTheExecutionAndTheStep() {
        StepCompleted step = StepCompleted.of(EXECUTION, "fetch", "completed", 2, AT);

        assertEquals(new StepCompleted(ID.toString(), TENANT.toString(), "order-intake", 3, "fetch", "completed", 2,
                AT), step);
        assertEveryFieldSet(step);
    }

    private static void assertEveryFieldSet(Record event) {
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            try {
                assertNotNull(component.getAccessor().invoke(event), component.getName() + " is not set");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
