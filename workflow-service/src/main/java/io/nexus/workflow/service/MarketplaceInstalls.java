package io.nexus.workflow.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.nexus.common.consumer.IdempotentConsumer;
import io.nexus.events.NexusEvent;
import io.nexus.events.marketplace.ItemInstalled;
import io.nexus.workflow.repository.WorkflowTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Marketplace installs (docs/api.md §4.6): {@code nexus.marketplace.installed} creates the workflow in the installer's
 * tenant through the registration's validation and quota, and answers on {@code nexus.workflows} with
 * {@code nexus.workflow.installed} or {@code nexus.workflow.install.failed}, which marketplace-service turns into the
 * install's status. One transaction per event, with the event recorded as consumed: an event delivered twice changes
 * nothing the second time, and an install of the same item version under the same name finds its workflow.
 */
@ApplicationScoped
public class MarketplaceInstalls {

    static final String CONSUMER = "workflow-marketplace-installs";
    private static final Logger LOG = Logger.getLogger(MarketplaceInstalls.class);

    private final IdempotentConsumer consumer;
    private final WorkflowService workflows;

    public MarketplaceInstalls(IdempotentConsumer consumer, WorkflowService workflows) {
        this.consumer = consumer;
        this.workflows = workflows;
    }

    @Incoming("marketplace-events")
    public Uni<Void> onMarketplaceEvent(byte[] message) {
        return consumer.consumeAnyWithConnection(CONSUMER, message, this::apply).replaceWithVoid();
    }

    private Uni<Void> apply(SqlConnection tx, NexusEvent<?> event) {
        if (!(event.data() instanceof ItemInstalled install)) {
            return Uni.createFrom().voidItem();
        }
        return workflows.install(tx, UUID.fromString(install.tenantId()), install.workflow(), install.definition(),
                new WorkflowTransactions.InstallSource(install.installId(), install.itemId(), install.version()))
                .invoke(outcome -> LOG.infof("Install %s of item %s %s into tenant %s as '%s': %s",
                        install.installId(), install.itemId(), install.version(), install.tenantId(),
                        install.workflow(), outcome))
                .replaceWithVoid();
    }
}
