package io.nexus.workflow.service;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.WorkflowSummary;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.nexus.workflow.rest.dto.WorkflowSummaryView;
import io.nexus.workflow.rest.dto.WorkflowVersionView;

/** What the API shows of workflows: a version is its definition plus {@code version} and timestamps. */
final class WorkflowViews {

    private WorkflowViews() {
    }

    static WorkflowVersionView version(WorkflowVersionRecord record) {
        return new WorkflowVersionView(record.name(), record.version(), record.latestVersion(),
                definitionFields(record.definition()), record.workflowCreatedAt(), record.versionCreatedAt());
    }

    static WorkflowSummaryView summary(WorkflowSummary summary) {
        return new WorkflowSummaryView(summary.name(), summary.description(), summary.latestVersion(),
                summary.createdAt(), summary.updatedAt());
    }

    /** The definition's fields in their stored order; its name is the view's first field already. */
    private static Map<String, JsonNode> definitionFields(JsonNode definition) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : definition.properties()) {
            if (!"name".equals(field.getKey())) {
                fields.put(field.getKey(), field.getValue());
            }
        }
        return fields;
    }
}
