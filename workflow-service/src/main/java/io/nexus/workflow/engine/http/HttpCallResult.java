package io.nexus.workflow.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The output of an {@code http} node: {@code {status, headers, body}}.
 *
 * @param status HTTP status of the final response (a 3xx only when redirects are off)
 * @param headers response headers: lower-case names, first value of each, {@code set-cookie} dropped; sorted
 * @param body parsed JSON when the content type is JSON and the body parses, otherwise a JSON string holding the
 *     text; null when the response has no body
 */
public record HttpCallResult(int status, Map<String, String> headers, JsonNode body) {
}
