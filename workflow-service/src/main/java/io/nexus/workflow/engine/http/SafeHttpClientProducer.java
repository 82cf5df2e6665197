package io.nexus.workflow.engine.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.nexus.workflow.config.WorkflowConfig;
import io.vertx.core.Vertx;

/** One outbound client per service: it pools connections, so every {@code http} node shares it. */
@ApplicationScoped
public class SafeHttpClientProducer {

    @Produces
    @Singleton
    SafeHttpClient safeHttpClient(Vertx vertx, WorkflowConfig config) {
        WorkflowConfig.Http http = config.http();
        OutboundPolicy policy = new OutboundPolicy(http.allowPrivateTargets(), http.maxRedirects(),
                http.maxResponseBytes(), http.maxTimeout());
        return new SafeHttpClient(vertx, policy, AddressResolver.system(vertx));
    }

    void close(@Disposes SafeHttpClient client) {
        client.close();
    }
}
