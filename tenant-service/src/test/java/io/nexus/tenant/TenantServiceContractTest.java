package io.nexus.tenant;

import java.util.List;
import java.util.Set;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TenantServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected String serviceName() {
        return "tenant-service";
    }

    @Override
    protected Set<String> requiredReadinessChecks() {
        return Set.of("Reactive PostgreSQL connections health check", "kafka");
    }

    @Override
    protected List<String> expectedMigrationVersions() {
        return List.of("1");
    }
}
