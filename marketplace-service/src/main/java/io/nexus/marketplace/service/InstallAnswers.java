package io.nexus.marketplace.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.nexus.common.consumer.IdempotentConsumer;
import io.smallrye.mutiny.Uni;

/**
 * workflow-service's answers to installs, from {@code nexus.workflows} (channel {@code workflow-events}, the service's
 * consumer group): {@code nexus.workflow.installed} completes an install of this service and
 * {@code nexus.workflow.install.failed} fails it with its reason ({@link InstallService#applyAnswer}); every other
 * event of the topic is recorded and ignored. One transaction per event, with the event recorded as consumed, so a
 * redelivered answer changes nothing.
 */
@ApplicationScoped
public class InstallAnswers {

    static final String CONSUMER = "marketplace-install-answers";

    private final IdempotentConsumer consumer;
    private final InstallService installs;

    public InstallAnswers(IdempotentConsumer consumer, InstallService installs) {
        this.consumer = consumer;
        this.installs = installs;
    }

    @Incoming("workflow-events")
    public Uni<Void> onWorkflowEvent(byte[] message) {
        return consumer.consumeAnyWithConnection(CONSUMER, message, installs::applyAnswer).replaceWithVoid();
    }
}
