package io.nexus.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    @Test
    void joinsClassAndMethodPathsIntoOneTemplate() {
        assertEquals("/api/v1/tenants/{id}", RouteTemplates.join("/api/v1/tenants", "{id}"));
        assertEquals("/api/v1/tenants/{id}", RouteTemplates.join("api/v1/tenants/", "/{id}/"));
        assertEquals("/health", RouteTemplates.join("/health", ""));
        assertEquals("/", RouteTemplates.join("", ""));
    }

    @Test
    void acceptsSaneRequestIdsAndReplacesOthers() {
        assertEquals("req-1.a:b_c", RequestIds.acceptOrGenerate("req-1.a:b_c"));
        assertEquals(36, RequestIds.acceptOrGenerate("has space").length());
        assertEquals(36, RequestIds.acceptOrGenerate("x".repeat(129)).length());
        assertEquals(36, RequestIds.acceptOrGenerate(null).length());
    }

    @Test
    void parsesOnlyTheContractChannels() {
        assertEquals(Channel.API, Channel.parse(null));
        assertEquals(Channel.CLI, Channel.parse("cli"));
        assertEquals(null, Channel.parse("CLI"));
        assertEquals(Channel.API, Channel.parseOrDefault("fax"));
    }
}
