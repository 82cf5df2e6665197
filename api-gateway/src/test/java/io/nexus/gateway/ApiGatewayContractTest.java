package io.nexus.gateway;

import java.util.Set;

import io.nexus.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ApiGatewayContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "api-gateway";
    }

    @Override
    protected Set<String> requiredReadinessChecks() {
        return Set.of("Redis connection health check", "kafka");
    }
}
