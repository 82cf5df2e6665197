package io.nexus.session;

import java.util.List;
import java.util.Set;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SessionServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected String serviceName() {
        return "session-service";
    }

    @Override
    protected Set<String> requiredReadinessChecks() {
        return Set.of("Reactive PostgreSQL connections health check", "Redis connection health check", "kafka");
    }

    @Override
    protected List<String> expectedMigrationVersions() {
        return List.of("1");
    }

    @Override
    protected List<String> databaseServiceMetrics() {
        return List.of("nexus_active_sessions");
    }
}
