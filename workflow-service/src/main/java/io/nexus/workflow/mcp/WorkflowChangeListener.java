package io.nexus.workflow.mcp;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;
import io.smallrye.mutiny.Uni;

/**
 * {@code nexus.workflows} as this replica alone reads it (a consumer group per instance, from the latest offset): a
 * registered, updated or deleted workflow re-reads its tenant's tools, and the SDK tells that tenant's MCP sessions on
 * this replica ({@code notifications/tools/list_changed}), whichever replica made the change. Re-reading is
 * idempotent, so a redelivered event needs no de-duplication, and an unreadable one is skipped.
 */
@ApplicationScoped
class WorkflowChangeListener {

    private static final Logger LOG = Logger.getLogger(WorkflowChangeListener.class);

    private final TenantMcpServers servers;
    private final EventCodec codec = new EventCodec();

    WorkflowChangeListener(TenantMcpServers servers) {
        this.servers = servers;
    }

    @Incoming("mcp-workflow-events")
    public Uni<Void> onWorkflowEvent(byte[] message) {
        NexusEvent<?> event;
        try {
            event = codec.decode(message);
        } catch (RuntimeException e) {
            LOG.debugf("Skipping an unreadable workflow event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (event.tenantId() == null) {
            return Uni.createFrom().voidItem();
        }
        return servers.workflowsChanged(UUID.fromString(event.tenantId()))
                .onFailure().invoke(failure -> LOG.warnf("MCP tools of tenant %s not re-read: %s",
                        event.tenantId(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
