package io.nexus.common.testing;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test-only endpoints, present in every service's {@code @QuarkusTest} application through the common test-jar: they
 * let the shared contract checks drive the real validation, error and metrics wiring of each service.
 */
@Path("/test-support/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public ProbeRequest echo(ProbeRequest request) {
        return request;
    }

    @GET
    @Path("/items/{id}")
    public String item(@PathParam("id") String id) {
        return id;
    }

    @GET
    @Path("/failure")
    public String failure() {
        throw new IllegalStateException("boom at jdbc:postgresql://10.0.0.7:5432/secret");
    }
}
