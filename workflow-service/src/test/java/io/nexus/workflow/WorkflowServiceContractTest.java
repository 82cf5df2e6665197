package io.nexus.workflow;

import java.util.List;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class WorkflowServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected List<String> databaseServiceMetrics() {
        return List.of("nexus_workflow_executions_total", "nexus_workflow_execution_duration_seconds_bucket");
    }
}
