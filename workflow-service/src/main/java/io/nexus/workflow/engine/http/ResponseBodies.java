package io.nexus.workflow.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Turns a response body into the {@code body} of an {@code http} node's output. */
final class ResponseBodies {

    static final ObjectMapper JSON = new ObjectMapper();

    private ResponseBodies() {
    }

    /** JSON when the content type says so and the bytes parse; the text as a JSON string otherwise; null if empty. */
    static JsonNode toJson(byte[] body, String contentType) {
        if (body.length == 0) {
            return null;
        }
        if (isJson(contentType)) {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                // A receiver that labels non-JSON as JSON still gets its text through.
            }
        }
        return TextNode.valueOf(decode(body, charset(contentType)));
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = mediaType(contentType);
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                String[] pair = parameter.trim().split("=", 2);
                if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                    try {
                        return Charset.forName(pair[1].trim().replace("\"", ""));
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String decode(byte[] body, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
