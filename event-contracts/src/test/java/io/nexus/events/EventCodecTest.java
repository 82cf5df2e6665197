package io.nexus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class EventCodecTest {

    /** CloudEvents 1.0: context attribute names are lower-case ASCII letters and digits, at most 20 characters. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final Set<String> CORE_ATTRIBUTES = Set.of("specversion", "id", "source", "type",
            "datacontenttype", "dataschema", "subject", "time", "data", "data_base64");

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeRoundTripsThroughStructuredJson(EventType type) throws Exception {
        EventPayload payload = SamplePayloads.BY_TYPE.get(type);
        assertTrue(payload != null, "SamplePayloads needs an example of " + type);

        NexusEvent<EventPayload> event = NexusEvent.of("0193a2b0-7c1e-7d3a-9f00-00000000e001", "tenant-service",
                SamplePayloads.AT, payload);
        byte[] bytes = codec.encode(event);

        NexusEvent<?> decoded = codec.decode(bytes);
        assertEquals(event, decoded);
        assertInstanceOf(type.payloadType(), decoded.data());
        assertEquals(type.topic(), decoded.platformTopic());
        assertEquals(event, codec.decode(bytes, type.payloadType()));

        assertCloudEventsStructuredMode(json.readTree(bytes), event);
    }

    private void assertCloudEventsStructuredMode(JsonNode document, NexusEvent<?> event) {
        assertEquals("1.0", document.path("specversion").asText());
        assertEquals(event.id(), document.path("id").asText());
        assertFalse(document.path("id").asText().isEmpty(), "id is a non-empty string");
        assertEquals(event.type(), document.path("type").asText());
        URI source = URI.create(document.path("source").asText());
        assertEquals("/nexus/tenant-service", source.toString(), "source is a URI-reference naming the producer");
        assertEquals(event.subject(), document.path("subject").asText());
        assertEquals("application/json", document.path("datacontenttype").asText());
        // RFC 3339 timestamp
        OffsetDateTime time = OffsetDateTime.parse(document.path("time").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertEquals(event.time().toInstant(), time.toInstant());
        assertEquals(SamplePayloads.TENANT, document.path("tenantid").asText(), "tenantid extension");
        assertTrue(document.path("data").isObject(), "JSON data is embedded as a JSON value, not base64");
        assertFalse(document.has("data_base64"));
        for (Iterator<String> names = document.fieldNames(); names.hasNext();) {
            String name = names.next();
            assertTrue(ATTRIBUTE_NAME.matcher(name).matches() || "data_base64".equals(name),
                    "attribute name '" + name + "' is not a valid CloudEvents name");
            assertTrue(CORE_ATTRIBUTES.contains(name) || "tenantid".equals(name), "unexpected attribute " + name);
        }
    }

    @Test
    void payloadsNeverCarryWorkflowOrSessionData() {
        Set<String> forbidden = Set.of("inputs", "outputs", "output", "data", "payload", "headers", "body", "key");
        List<String> offending = new ArrayList<>();
        for (EventType type : EventType.values()) {
            for (RecordComponent component : type.payloadType().getRecordComponents()) {
                if (forbidden.contains(component.getName())) {
                    offending.add(type.type() + "." + component.getName());
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void integrationEventsKeepTheirJsonData() throws Exception {
        ObjectNode data = json.createObjectNode().put("orderId", 42).put("total", 19.5);
        NexusEvent<JsonNode> event = new NexusEvent<>("evt-1", "order.received",
                URI.create("/nexus/workflows/order-intake"), "exec-1", SamplePayloads.AT.atOffset(java.time.ZoneOffset.UTC),
                SamplePayloads.TENANT, data);
        NexusEvent<?> decoded = codec.decode(codec.encode(event));
        assertEquals(data, decoded.data());
        assertEquals("order.received", decoded.type());
        assertThrows(IllegalStateException.class, decoded::platformTopic);
        assertEquals("nexus.integration." + SamplePayloads.TENANT, Topics.integration(SamplePayloads.TENANT));
    }

    @Test
    void readersIgnorePayloadFieldsTheyDoNotKnow() throws Exception {
        byte[] bytes = codec.encode(NexusEvent.of("evt-2", "tenant-service", SamplePayloads.AT,
                SamplePayloads.BY_TYPE.get(EventType.TENANT_SUSPENDED)));
        ObjectNode document = (ObjectNode) json.readTree(bytes);
        ((ObjectNode) document.get("data")).put("reason", "added by a newer producer");
        NexusEvent<?> decoded = codec.decode(json.writeValueAsBytes(document));
        assertEquals(SamplePayloads.BY_TYPE.get(EventType.TENANT_SUSPENDED), decoded.data());
    }

    @Test
    void dataSentAsBase64IsReadFromItsBytes() throws Exception {
        byte[] bytes = codec.encode(NexusEvent.of("evt-3", "tenant-service", SamplePayloads.AT,
                SamplePayloads.BY_TYPE.get(EventType.TENANT_SUSPENDED)));
        ObjectNode document = (ObjectNode) json.readTree(bytes);
        byte[] data = json.writeValueAsBytes(document.remove("data"));
        document.put("data_base64", java.util.Base64.getEncoder().encodeToString(data));
        NexusEvent<?> decoded = codec.decode(json.writeValueAsBytes(document));
        assertEquals(SamplePayloads.BY_TYPE.get(EventType.TENANT_SUSPENDED), decoded.data());
    }

    @Test
    void rejectsWhatIsNotACloudEvent() {
        assertThrows(EventCodecException.class, () -> codec.decode("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(EventCodecException.class, () -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
