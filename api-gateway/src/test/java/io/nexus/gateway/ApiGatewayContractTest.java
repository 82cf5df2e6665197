package io.nexus.gateway;

import io.nexus.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ApiGatewayContractTest extends ServiceContractTest {
}
