package io.nexus.common.testing;

import static io.restassured.RestAssured.given;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** RestAssured requests that carry a gateway-signed identity, as a service receives them behind the gateway. */
public final class CallerSpecs {

    private final IdentityTokens tokens;

    public CallerSpecs(IdentityTokens tokens) {
        this.tokens = tokens;
    }

    public RequestSpecification as(CallerIdentity caller) {
        return given().header(IdentityTokens.HEADER, tokens.sign(caller)).contentType(ContentType.JSON);
    }
}
