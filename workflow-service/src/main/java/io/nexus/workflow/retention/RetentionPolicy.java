package io.nexus.workflow.retention;

import java.util.Map;
import java.util.TreeMap;

import io.nexus.workflow.config.WorkflowConfig;

/**
 * How many days each plan's ended executions are kept, checked once: a retention below one day, or a batch below one
 * root, is a configuration mistake that would delete history too early or never, so the service refuses to start
 * with it rather than find out later.
 */
final class RetentionPolicy {

    private final String[] plans;
    private final Integer[] days;
    private final int defaultDays;

    RetentionPolicy(WorkflowConfig.Retention config) {
        Map<String, Integer> byPlan = new TreeMap<>(config.days());
        byPlan.forEach((plan, planDays) -> atLeastOne("nexus.workflow.retention.days." + plan, planDays));
        atLeastOne("nexus.workflow.retention.default-days", config.defaultDays());
        atLeastOne("nexus.workflow.retention.batch-size", config.batchSize());
        this.plans = byPlan.keySet().toArray(new String[0]);
        this.days = byPlan.values().toArray(new Integer[0]);
        this.defaultDays = config.defaultDays();
    }

    private static void atLeastOne(String property, int value) {
        if (value < 1) {
            throw new IllegalStateException(property + " is " + value + ", must be at least 1");
        }
    }

    /** The plans with a retention of their own, in the order of {@link #days()}. */
    String[] plans() {
        return plans.clone();
    }

    Integer[] days() {
        return days.clone();
    }

    /** For other plans, and for tenants whose plan is not known here yet. */
    int defaultDays() {
        return defaultDays;
    }

    /** For the start-up log line: "enterprise 90, free 7, standard 30, others 90". */
    String describe() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < plans.length; i++) {
            text.append(plans[i]).append(' ').append(days[i]).append(", ");
        }
        return text.append("others ").append(defaultDays).toString();
    }
}
