package io.nexus.marketplace.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The marketplace's pure rules: semver precedence, latest versions, header stripping, licenses, trending. */
class DomainRulesTest {

    @Test
    void semanticVersionsOrderByPrecedence() {
        List<String> ascending = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0");
        for (int i = 1; i < ascending.size(); i++) {
            Semver lower = Semver.parse(ascending.get(i - 1)).orElseThrow();
            Semver higher = Semver.parse(ascending.get(i)).orElseThrow();
            assertTrue(lower.compareTo(higher) < 0, lower + " < " + higher);
            assertTrue(higher.compareTo(lower) > 0, higher + " > " + lower);
        }
        assertEquals(0, Semver.parse("1.0.0+build.1").orElseThrow().compareTo(Semver.parse("1.0.0+b2").orElseThrow()));
        for (String invalid : List.of("1.2", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0-01", " 1.0.0", "1.0.0.0", "",
                "99999999999999999999.0.0", "1." + "1".repeat(70) + ".0")) {
            assertTrue(Semver.parse(invalid).isEmpty(), invalid);
        }
    }

    @Test
    void theLatestVersionIsTheHighestReleaseNotYanked() {
        UUID item = UUID.randomUUID();
        Instant now = Instant.now();
        ItemVersion one = new ItemVersion(item, "1.0.0", 1, null, now, null);
        ItemVersion two = new ItemVersion(item, "1.1.0", 2, null, now, null);
        ItemVersion rc = new ItemVersion(item, "2.0.0-rc.1", 3, null, now, null);
        ItemVersion yankedTwo = new ItemVersion(item, "1.1.0", 2, null, now, now);
        assertEquals("1.1.0", ItemVersions.latest(List.of(one, two, rc)).orElseThrow());
        assertEquals("1.0.0", ItemVersions.latest(List.of(one, yankedTwo, rc)).orElseThrow());
        assertEquals("2.0.0-rc.1", ItemVersions.latest(List.of(rc)).orElseThrow());
        assertTrue(ItemVersions.latest(List.of(yankedTwo)).isEmpty());
        assertEquals("2.0.0-rc.1", ItemVersions.highest(List.of(one, yankedTwo, rc)).orElseThrow().toString());
        assertEquals(List.of(rc, two, one), ItemVersions.descending(List.of(one, rc, two)));
    }

    @Test
    void httpHeaderValuesAreStrippedAndNothingElse() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode definition = (ObjectNode) json.readTree("""
                {"name": "w", "nodes": [
                  {"id": "a", "type": "http", "config": {"method": "GET", "url": "'https://x.example'",
                   "headers": {"Authorization": "'Bearer s3cr3t'"}}},
                  {"id": "b", "type": "transform", "config": {"expression": "1", "headers": {"keep": "'me'"}}},
                  {"id": "c", "type": "http", "config": {"method": "GET", "url": "'https://y.example'"}}]}""");
        ObjectNode stripped = Snapshots.withoutSecrets(definition);
        assertEquals("''", stripped.at("/nodes/0/config/headers/Authorization").asText());
        assertEquals("'me'", stripped.at("/nodes/1/config/headers/keep").asText());
        assertEquals("'https://x.example'", stripped.at("/nodes/0/config/url").asText());
        assertFalse(stripped.at("/nodes/2/config").has("headers"));
        assertEquals("'Bearer s3cr3t'", definition.at("/nodes/0/config/headers/Authorization").asText(),
                "the original is left alone");
    }

    @Test
    void headerValuesThatOnlyNameATenantSecretStayInTheSnapshot() throws Exception {
        ObjectNode definition = (ObjectNode) new ObjectMapper().readTree("""
                {"name": "w", "nodes": [{"id": "call", "type": "http", "config": {"method": "GET",
                  "url": "'https://x.example'", "headers": {
                    "Authorization": "'Bearer ' + secrets.API_TOKEN",
                    "X-Api-Key": "secrets['SHOP_KEY']",
                    "X-Mixed": "'Bearer sk-live-123' + secrets.API_TOKEN",
                    "X-Literal": "'sk-live-123'",
                    "X-Other": "secrets.A + secrets.B",
                    "X-Input": "inputs.token"}}}]}""");
        ObjectNode stripped = Snapshots.withoutSecrets(definition);
        assertEquals("'Bearer ' + secrets.API_TOKEN", stripped.at("/nodes/0/config/headers/Authorization").asText(),
                "a name, no credential: each installer's own secret API_TOKEN is what it sends");
        assertEquals("secrets['SHOP_KEY']", stripped.at("/nodes/0/config/headers/X-Api-Key").asText());
        for (String header : new String[] {"X-Mixed", "X-Literal", "X-Other", "X-Input"}) {
            assertEquals("''", stripped.at("/nodes/0/config/headers/" + header).asText(), header);
        }
    }

    @Test
    void licensesAreSpdxIdsMatchedIgnoringCase() {
        assertEquals("Apache-2.0", SpdxLicenses.canonical("apache-2.0").orElseThrow());
        assertEquals("MIT", SpdxLicenses.canonical("MIT").orElseThrow());
        assertTrue(SpdxLicenses.canonical("Apache 2").isEmpty());
        assertTrue(SpdxLicenses.canonical("# SPDX license identifiers").isEmpty());
        assertTrue(SpdxLicenses.count() > 50);
    }

    @Test
    void trendingDecaysByHalfEveryHalfLifeAndKeepsTheOrder() {
        Trending trending = new Trending(Duration.ofDays(7));
        Instant then = Instant.parse("2026-06-01T00:00:00Z");
        double stored = trending.contribution(1.0, then);
        assertEquals(1.0, trending.scoreAt(stored, then), 1e-9);
        assertEquals(0.5, trending.scoreAt(stored, then.plus(Duration.ofDays(7))), 1e-9);
        // An older event of weight 1 is worth less today than a new one of weight 0.6.
        double old = trending.contribution(1.0, then.minus(Duration.ofDays(14)));
        assertTrue(old < stored);
        assertTrue(trending.contribution(0.6, then) > old);
        assertEquals(0.0, trending.scoreAt(null, then));
    }
}
