package io.nexus.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.events.execution.StepCompleted;
import io.nexus.events.marketplace.ItemInstalled;
import io.nexus.events.marketplace.ItemPublished;
import io.nexus.events.marketplace.ItemReviewed;
import io.nexus.events.marketplace.VersionPublished;
import io.nexus.events.session.SessionClosed;
import io.nexus.events.session.SessionCreated;
import io.nexus.events.session.SessionExpired;
import io.nexus.events.session.SessionUpdated;
import io.nexus.events.tenant.ApiKeyCreated;
import io.nexus.events.tenant.ApiKeyRevoked;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantDeleted;
import io.nexus.events.tenant.TenantSuspended;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.events.workflow.WorkflowUpdated;

/** One filled-in payload per event type; the round-trip test fails when a type has none. */
final class SamplePayloads {

    static final String TENANT = "0193a2b0-7c1e-7d3a-9f00-0000000000aa";
    static final Instant AT = Instant.parse("2026-11-26T10:15:30.123Z");
    private static final Quotas QUOTAS = new Quotas(1000, 100_000, 6000, 1000, 100);

    static final Map<EventType, EventPayload> BY_TYPE = Map.ofEntries(
            Map.entry(EventType.TENANT_CREATED, new TenantCreated(TENANT, "acme", "standard", "active", QUOTAS, AT)),
            Map.entry(EventType.TENANT_UPDATED, new TenantUpdated(TENANT, "acme", "standard", "active", QUOTAS, AT)),
            Map.entry(EventType.TENANT_SUSPENDED, new TenantSuspended(TENANT, AT)),
            Map.entry(EventType.TENANT_DELETED, new TenantDeleted(TENANT, AT)),
            Map.entry(EventType.API_KEY_CREATED, new ApiKeyCreated("key-1", TENANT, "developer", "nxk_ab12", AT, AT)),
            Map.entry(EventType.API_KEY_REVOKED, new ApiKeyRevoked("key-1", TENANT, AT)),
            Map.entry(EventType.WORKFLOW_REGISTERED, new WorkflowRegistered(TENANT, "order-intake", 1, AT)),
            Map.entry(EventType.WORKFLOW_UPDATED, new WorkflowUpdated(TENANT, "order-intake", 2, AT)),
            Map.entry(EventType.WORKFLOW_DELETED, new WorkflowDeleted(TENANT, "order-intake", AT)),
            Map.entry(EventType.EXECUTION_STARTED,
                    new ExecutionStarted("exec-1", TENANT, "order-intake", 2, "mcp", "sess-1", null, AT)),
            Map.entry(EventType.EXECUTION_COMPLETED,
                    new ExecutionCompleted("exec-1", TENANT, "order-intake", 2, "api", 42, AT)),
            Map.entry(EventType.EXECUTION_FAILED,
                    new ExecutionFailed("exec-1", TENANT, "order-intake", 2, "cli", "expression", "shape", 7, AT)),
            Map.entry(EventType.EXECUTION_CANCELLED,
                    new ExecutionCancelled("exec-1", TENANT, "order-intake", 2, "api", 9, AT)),
            Map.entry(EventType.STEP_COMPLETED,
                    new StepCompleted("exec-1", TENANT, "order-intake", 2, "fetch", "completed", 2, AT)),
            Map.entry(EventType.WORKFLOW_INSTALLED,
                    new WorkflowInstalled(TENANT, "order-intake", "inst-1", "item-1", "1.1.0", AT)),
            Map.entry(EventType.WORKFLOW_INSTALL_FAILED, new WorkflowInstallFailed(TENANT, "order-intake", "inst-1",
                    "item-1", "1.1.0", "a workflow named 'order-intake' exists", AT)),
            Map.entry(EventType.SESSION_CREATED, new SessionCreated("sess-1", TENANT, "user-9", "cli", AT, AT)),
            Map.entry(EventType.SESSION_UPDATED,
                    new SessionUpdated("sess-1", TENANT, List.of("cli", "mcp"), AT, AT)),
            Map.entry(EventType.SESSION_EXPIRED, new SessionExpired("sess-1", TENANT, AT)),
            Map.entry(EventType.SESSION_CLOSED, new SessionClosed("sess-1", TENANT, AT)),
            Map.entry(EventType.MARKETPLACE_PUBLISHED,
                    new ItemPublished("item-1", TENANT, "Order intake", "1.0.0", "order-intake", 2, AT)),
            Map.entry(EventType.MARKETPLACE_VERSION_PUBLISHED,
                    new VersionPublished("item-1", TENANT, "1.1.0", 3, AT)),
            Map.entry(EventType.MARKETPLACE_INSTALLED,
                    new ItemInstalled("item-1", "inst-1", TENANT, "1.1.0", "order-intake",
                            JsonNodeFactory.instance.objectNode().put("name", "order-intake"), AT)),
            Map.entry(EventType.MARKETPLACE_REVIEWED, new ItemReviewed("item-1", "rev-1", TENANT, 5, AT)));

    private SamplePayloads() {
    }
}
