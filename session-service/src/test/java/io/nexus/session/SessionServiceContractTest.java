package io.nexus.session;

import java.util.List;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected List<String> databaseServiceMetrics() {
        return List.of("nexus_active_sessions");
    }
}
