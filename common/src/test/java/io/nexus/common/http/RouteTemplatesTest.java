package io.nexus.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    @Path("/api/v1/things")
    public static class ThingResource {
        @GET
        @Path("{id}/parts")
        public String parts(String id) {
            return id;
        }
    }

    /** What RESTEasy Reactive does: a new resource info for every request, equal to none of the others. */
    private static SimpleResourceInfo infoForARequest() {
        return new SimpleResourceInfo() {
            @Override
            public Class<?> getResourceClass() {
                return ThingResource.class;
            }

            @Override
            public String getMethodName() {
                return "parts";
            }

            @Override
            public Class<?>[] parameterTypes() {
                return new Class<?>[] { String.class };
            }
        };
    }

    @Test
    void aMethodsTemplateIsCachedOnceWhateverObjectDescribesItsRequests() {
        assertEquals("/api/v1/things/{id}/parts", RouteTemplates.of(infoForARequest()));
        int cached = RouteTemplates.cachedMethods();
        for (int i = 0; i < 100; i++) {
            assertEquals("/api/v1/things/{id}/parts", RouteTemplates.of(infoForARequest()));
        }
        assertEquals(cached, RouteTemplates.cachedMethods(), "one entry per method, not one per request");
    }

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
