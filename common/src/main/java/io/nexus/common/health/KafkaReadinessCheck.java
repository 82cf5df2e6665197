package io.nexus.common.health;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports Kafka in readiness data as {@code up} or {@code degraded}, always with status UP: a service stays in
 * rotation while Kafka is down, and the gateway's /health shows the degradation.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    public static final String NAME = "kafka";

    private final KafkaConnectivity kafka;

    public KafkaReadinessCheck(KafkaConnectivity kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME)
                .up()
                .withData(NAME, kafka.status().name().toLowerCase(Locale.ROOT))
                .build();
    }
}
