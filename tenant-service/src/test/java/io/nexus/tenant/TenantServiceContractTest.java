package io.nexus.tenant;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TenantServiceContractTest extends DatabaseServiceContractTest {
}
