package io.nexus.session;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Requests to session-service as the gateway forwards them: a signed identity per tenant, role and channel. */
final class SessionCalls {

    private final IdentityTokens tokens;

    SessionCalls(IdentityTokens tokens) {
        this.tokens = tokens;
    }

    RequestSpecification as(String tenant, Role role, Channel channel) {
        return given().header(IdentityTokens.HEADER, tokens.sign(new CallerIdentity(tenant, role, "key-" + tenant,
                channel, null, "test-request"))).contentType(ContentType.JSON);
    }

    RequestSpecification developer(String tenant) {
        return as(tenant, Role.DEVELOPER, Channel.API);
    }

    RequestSpecification service(String tenant, Channel channel) {
        return as(tenant, Role.SERVICE, channel);
    }

    /** Opens a session for {@code tenant} with {@code body}; its id. */
    String create(String tenant, Map<String, Object> body) {
        return developer(tenant).body(body).post("/api/v1/sessions").then().statusCode(201)
                .extract().path("id");
    }

    ValidatableResponse get(String tenant, String id) {
        return developer(tenant).get("/api/v1/sessions/" + id).then();
    }

    ValidatableResponse patch(String tenant, String id, Object data) {
        return developer(tenant).body(Map.of("data", data)).patch("/api/v1/sessions/" + id).then();
    }
}
