package io.nexus.workflow.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * One outbound call of an {@code http} node, after its CEL expressions were evaluated.
 *
 * @param method HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; case-insensitive)
 * @param url absolute http or https URL
 * @param headers caller headers; may carry credentials, so they are never logged nor kept in step records.
 *     Framing and hop-by-hop headers (Host, Content-Length, Transfer-Encoding, Connection, ...) are refused;
 *     {@code Idempotency-Key} and {@code User-Agent} are always the client's own.
 * @param body JSON request body, sent as {@code application/json} unless a Content-Type is given; null = none
 * @param timeout deadline for the whole call (redirects and body read included); null = the policy's maximum,
 *     longer values are cut to it
 * @param idempotencyKey sent as {@code Idempotency-Key}; derived by the caller from (execution id, node id) so a
 *     retried node is recognisable by the receiver; null = not sent
 */
public record HttpCallSpec(String method, String url, Map<String, String> headers, JsonNode body, Duration timeout,
        String idempotencyKey) {

    /** The method and header names only: url, header values and body may carry tenant secrets. */
    @Override
    public String toString() {
        return "HttpCallSpec[" + method + ", headers=" + headers.keySet() + "]";
    }
}
