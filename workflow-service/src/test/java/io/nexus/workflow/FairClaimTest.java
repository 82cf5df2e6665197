package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.repository.ExecutionLeases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Pending executions (async starts that found every worker busy) are claimed with tenants taking turns: a tenant that
 * queued a large backlog first does not make another tenant's later start wait behind all of it.
 */
@QuarkusTest
@TestProfile(FairClaimTest.NoPeriodicClaims.class)
class FairClaimTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String OWNER = "fair-claim-test";

    /** The engine claims nothing by itself during the test: only the claims the test makes. */
    public static class NoPeriodicClaims implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.workflow.claim-interval", "1h");
        }
    }

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;
    @Inject
    ExecutionLeases leases;

    @Test
    void tenantsTakeTurnsInTheBacklog() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String flooder = newTenant();
        String other = newTenant();
        UUID flooderVersion = version(register(callers, flooder, quick(unique("flood"))), flooder);
        UUID otherVersion = version(register(callers, other, quick(unique("later"))), other);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // Pending rows earlier tests left behind are set aside for the claim below, and put back afterwards.
        List<UUID> setAside = ids(pool.preparedQuery("UPDATE executions SET lease_owner = 'set-aside', lease_until = "
                + "now() + interval '1 hour' WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now()) "
                + "RETURNING id").execute().await().atMost(WAIT));
        List<UUID> flood = new ArrayList<>();
        List<UUID> later = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                flood.add(pending(flooder, flooderVersion, now.minusSeconds(60 - i)));
            }
            later.add(pending(other, otherVersion, now.minusSeconds(10)));
            later.add(pending(other, otherVersion, now.minusSeconds(9)));

            Set<UUID> claimed = leases.claim(OWNER, 4, 60_000).await().atMost(WAIT).stream()
                    .map(ExecutionRecord::id).collect(Collectors.toSet());

            assertEquals(Set.of(flood.get(0), later.get(0), flood.get(1), later.get(1)), claimed,
                    "each tenant's oldest, then each one's second: not the flooder's four oldest");
        } finally {
            List<UUID> mine = new ArrayList<>(flood);
            mine.addAll(later);
            pool.preparedQuery("DELETE FROM executions WHERE id = ANY($1)").execute(Tuple.of(mine.toArray(UUID[]::new)))
                    .await().atMost(WAIT);
            pool.preparedQuery("UPDATE executions SET lease_owner = NULL, lease_until = NULL WHERE id = ANY($1)")
                    .execute(Tuple.of(setAside.toArray(UUID[]::new))).await().atMost(WAIT);
        }
    }

    private UUID pending(String tenant, UUID versionId, OffsetDateTime createdAt) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, "
                + "mode, channel, inputs, deadline_at, created_at) SELECT $1, $2::uuid, w.name, $3, 1, 'pending', "
                + "'async', 'api', '{}', $4, $5 FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id "
                + "WHERE v.id = $3")
                .execute(Tuple.from(new Object[] {id, tenant, versionId, createdAt.plusHours(1), createdAt}))
                .await().atMost(WAIT);
        return id;
    }

    private UUID version(String workflow, String tenant) {
        Row row = pool.preparedQuery("SELECT v.id FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id "
                + "WHERE w.tenant_id = $1::uuid AND w.name = $2").execute(Tuple.of(tenant, workflow))
                .await().atMost(WAIT).iterator().next();
        return row.getUUID(0);
    }

    private static List<UUID> ids(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private static String quick(String name) {
        return """
                {"name": "%s", "nodes": [{"id": "only", "type": "transform", "config": {"expression": "'done'"}}]}"""
                .formatted(name);
    }
}
