package io.nexus.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

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
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantDeleted;
import io.nexus.events.tenant.TenantSuspended;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.events.workflow.WorkflowUpdated;

/** Every platform event type of docs/api.md §6: its CloudEvents {@code type}, its topic and its payload record. */
public enum EventType {
    TENANT_CREATED("nexus.tenant.created", Topics.TENANTS, TenantCreated.class),
    TENANT_UPDATED("nexus.tenant.updated", Topics.TENANTS, TenantUpdated.class),
    TENANT_SUSPENDED("nexus.tenant.suspended", Topics.TENANTS, TenantSuspended.class),
    TENANT_DELETED("nexus.tenant.deleted", Topics.TENANTS, TenantDeleted.class),
    API_KEY_CREATED("nexus.apikey.created", Topics.TENANTS, ApiKeyCreated.class),
    API_KEY_REVOKED("nexus.apikey.revoked", Topics.TENANTS, ApiKeyRevoked.class),
    WORKFLOW_REGISTERED("nexus.workflow.registered", Topics.WORKFLOWS, WorkflowRegistered.class),
    WORKFLOW_UPDATED("nexus.workflow.updated", Topics.WORKFLOWS, WorkflowUpdated.class),
    WORKFLOW_DELETED("nexus.workflow.deleted", Topics.WORKFLOWS, WorkflowDeleted.class),
    WORKFLOW_INSTALLED("nexus.workflow.installed", Topics.WORKFLOWS, WorkflowInstalled.class),
    WORKFLOW_INSTALL_FAILED("nexus.workflow.install.failed", Topics.WORKFLOWS, WorkflowInstallFailed.class),
    EXECUTION_STARTED("nexus.execution.started", Topics.EXECUTIONS, ExecutionStarted.class),
    EXECUTION_COMPLETED("nexus.execution.completed", Topics.EXECUTIONS, ExecutionCompleted.class),
    EXECUTION_FAILED("nexus.execution.failed", Topics.EXECUTIONS, ExecutionFailed.class),
    EXECUTION_CANCELLED("nexus.execution.cancelled", Topics.EXECUTIONS, ExecutionCancelled.class),
    STEP_COMPLETED("nexus.execution.step.completed", Topics.EXECUTIONS, StepCompleted.class),
    SESSION_CREATED("nexus.session.created", Topics.SESSIONS, SessionCreated.class),
    SESSION_UPDATED("nexus.session.updated", Topics.SESSIONS, SessionUpdated.class),
    SESSION_EXPIRED("nexus.session.expired", Topics.SESSIONS, SessionExpired.class),
    SESSION_CLOSED("nexus.session.closed", Topics.SESSIONS, SessionClosed.class),
    MARKETPLACE_PUBLISHED("nexus.marketplace.published", Topics.MARKETPLACE, ItemPublished.class),
    MARKETPLACE_VERSION_PUBLISHED("nexus.marketplace.version.published", Topics.MARKETPLACE, VersionPublished.class),
    MARKETPLACE_INSTALLED("nexus.marketplace.installed", Topics.MARKETPLACE, ItemInstalled.class),
    MARKETPLACE_REVIEWED("nexus.marketplace.reviewed", Topics.MARKETPLACE, ItemReviewed.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::payloadType, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<? extends EventPayload> payloadType;

    EventType(String type, String topic, Class<? extends EventPayload> payloadType) {
        this.type = type;
        this.topic = topic;
        this.payloadType = payloadType;
    }

    /** The CloudEvents {@code type} attribute, also the Kafka header {@code ce_type}. */
    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends EventPayload> payloadType() {
        return payloadType;
    }

    public static Optional<EventType> ofType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static EventType ofPayload(EventPayload payload) {
        EventType type = BY_PAYLOAD.get(payload.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no event type for " + payload.getClass().getName());
        }
        return type;
    }
}
