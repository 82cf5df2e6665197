package io.nexus.workflow.service;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.domain.WorkflowSummary;
import io.nexus.workflow.domain.WorkflowVersionRecord;

/** What the API shows of workflows: a version is its definition plus {@code version} and timestamps. */
final class WorkflowViews {

    private WorkflowViews() {
    }

    static ObjectNode version(WorkflowVersionRecord record) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("name", record.name());
        view.put("version", record.version());
        view.put("latestVersion", record.latestVersion());
        for (Iterator<Map.Entry<String, JsonNode>> fields = record.definition().fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!"name".equals(field.getKey())) {
                view.set(field.getKey(), field.getValue());
            }
        }
        view.put("createdAt", record.workflowCreatedAt().toString());
        view.put("versionCreatedAt", record.versionCreatedAt().toString());
        return view;
    }

    static ObjectNode summary(WorkflowSummary summary) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("name", summary.name());
        if (summary.description() != null) {
            view.put("description", summary.description());
        }
        view.put("latestVersion", summary.latestVersion());
        view.put("createdAt", summary.createdAt().toString());
        view.put("updatedAt", summary.updatedAt().toString());
        return view;
    }
}
