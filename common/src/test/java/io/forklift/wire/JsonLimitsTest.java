package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared mapper refuses hostile documents and never instantiates a class a payload names. */
class JsonLimitsTest {
    private static final int DEEP = 100_000;

    private static String deepArray() {
        return "[".repeat(DEEP) + "]".repeat(DEEP);
    }

    @Test
    void deeplyNestedArrayIsRejectedByTheParserNotTheStack() {
        // assertThrows would let a StackOverflowError escape as an error, failing the test
        StreamConstraintsException tree =
                assertThrows(StreamConstraintsException.class, () -> Json.MAPPER.readTree(deepArray()));
        assertTrue(tree.getMessage().contains(String.valueOf(Json.MAX_NESTING_DEPTH)), tree.getMessage());
        assertThrows(StreamConstraintsException.class, () -> Json.MAPPER.readValue(deepArray(), Object.class));
        byte[] hostileTask = ("{\"v\":1,\"id\":\"i\",\"args\":[" + deepArray() + "]}").getBytes();
        // inside a record the mapper wraps the parser's exception, naming the path
        JsonProcessingException wrapped = assertThrows(
                JsonProcessingException.class, () -> Json.MAPPER.readValue(hostileTask, TaskMessage.class));
        assertInstanceOf(
                StreamConstraintsException.class,
                wrapped instanceof StreamConstraintsException ? wrapped : wrapped.getCause());
    }

    @Test
    void nestingUpToTheLimitStillParses() throws Exception {
        int ok = Json.MAX_NESTING_DEPTH;
        JsonNode node = Json.MAPPER.readTree("[".repeat(ok) + "]".repeat(ok));
        assertTrue(node.isArray());
    }

    @Test
    void typeHintIsPlainData() throws Exception {
        String doc = "{\"@class\":\"java.lang.Runtime\"}";
        Object asObject = Json.MAPPER.readValue(doc, Object.class);
        Map<?, ?> map = assertInstanceOf(Map.class, asObject);
        assertEquals(Map.of("@class", "java.lang.Runtime"), map);
        assertEquals(Map.of("@class", "java.lang.Runtime"), Json.MAPPER.readValue(doc, Map.class));

        // as a task argument: it stays JSON, and converting it to Object still gives a Map
        TaskMessage m = Json.MAPPER.readValue(
                "{\"v\":1,\"id\":\"i\",\"queue\":\"q\",\"task\":\"t\",\"client\":\"c\",\"args\":[" + doc + "]}",
                TaskMessage.class);
        assertInstanceOf(Map.class, Json.MAPPER.convertValue(m.arg(), Object.class));
        assertEquals("java.lang.Runtime", m.arg().get("@class").asText());
    }

    @Test
    void javaSerializedBytesAreNotJson() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject("hello");
        }
        byte[] serialized = bytes.toByteArray();
        assertEquals((byte) 0xAC, serialized[0]); // STREAM_MAGIC: this really is Java serialization
        assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readValue(serialized, Object.class));
        assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readValue(serialized, TaskMessage.class));
    }
}
