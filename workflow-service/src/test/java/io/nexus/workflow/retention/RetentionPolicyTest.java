package io.nexus.workflow.retention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.nexus.workflow.config.WorkflowConfig;

/** What the sweep is told to keep, and the settings that would make it delete too early or never. */
class RetentionPolicyTest {

    @Test
    void eachPlanKeepsItsDaysAndEveryOtherTheDefault() {
        RetentionPolicy policy = new RetentionPolicy(retention(Map.of("free", 7, "standard", 30, "enterprise", 90), 90,
                500));
        assertArrayEquals(new String[] { "enterprise", "free", "standard" }, policy.plans());
        assertArrayEquals(new Integer[] { 90, 7, 30 }, policy.days());
        assertEquals(90, policy.defaultDays());
        assertEquals("enterprise 90, free 7, standard 30, others 90", policy.describe());
    }

    @Test
    void lessThanADayOrAnEmptyBatchStopsTheStartUp() {
        IllegalStateException zero = assertThrows(IllegalStateException.class,
                () -> new RetentionPolicy(retention(Map.of("free", 0), 90, 500)));
        assertEquals("nexus.workflow.retention.days.free is 0, must be at least 1", zero.getMessage());
        assertThrows(IllegalStateException.class, () -> new RetentionPolicy(retention(Map.of(), -1, 500)));
        assertThrows(IllegalStateException.class, () -> new RetentionPolicy(retention(Map.of(), 90, 0)));
    }

    private static WorkflowConfig.Retention retention(Map<String, Integer> days, int defaultDays, int batchSize) {
        return new WorkflowConfig.Retention() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Map<String, Integer> days() {
                return days;
            }

            @Override
            public int defaultDays() {
                return defaultDays;
            }

            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public Duration interval() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration batchPause() {
                return Duration.ofMillis(100);
            }
        };
    }
}
