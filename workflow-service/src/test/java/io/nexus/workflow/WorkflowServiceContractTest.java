package io.nexus.workflow;

import java.util.List;
import java.util.Set;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class WorkflowServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected String serviceName() {
        return "workflow-service";
    }

    @Override
    protected Set<String> requiredReadinessChecks() {
        return Set.of("Reactive PostgreSQL connections health check", "kafka");
    }

    @Override
    protected List<String> expectedMigrationVersions() {
        return List.of("1");
    }

    @Override
    protected List<String> databaseServiceMetrics() {
        return List.of("nexus_workflow_executions_total", "nexus_workflow_execution_duration_seconds_bucket");
    }
}
