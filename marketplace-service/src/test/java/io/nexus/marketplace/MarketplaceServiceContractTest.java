package io.nexus.marketplace;

import java.util.List;

import io.nexus.common.testing.DatabaseServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MarketplaceServiceContractTest extends DatabaseServiceContractTest {

    @Override
    protected List<String> databaseServiceMetrics() {
        return List.of("nexus_marketplace_operations_total");
    }
}
