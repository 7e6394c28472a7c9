package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TaskMessageTest {
    private static ArrayNode args(int n) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = 0; i < n; i++) a.addObject().put("n", i).put("s", "é€😀");
        return a;
    }

    private static TaskMessage valid() {
        return new TaskMessage(
                TaskMessage.VERSION,
                "id-1",
                "orders",
                "com.example.Add",
                args(1),
                false,
                "client-1",
                0,
                0,
                0,
                List.of(),
                List.of(),
                0);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        for (TaskMessage m : new TaskMessage[] {
            valid(), new TaskMessage(1, "id-2", "q", "exec", args(3), true, "c", 0, 0, 0, List.of(), List.of(), 0)
        }) {
            byte[] json = Json.MAPPER.writeValueAsBytes(m);
            TaskMessage back = Json.MAPPER.readValue(json, TaskMessage.class);
            assertEquals(m, back);
            assertSame(back, back.validate());
        }
        assertEquals(0, valid().arg().get("n").asInt());
    }

    @Test
    void validateNamesTheBadField() {
        ArrayNode one = args(1);
        assertRejected(
                "wire version",
                () -> new TaskMessage(2, "i", "q", "t", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "wire version",
                () -> new TaskMessage(0, "i", "q", "t", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "id is missing",
                () -> new TaskMessage(1, null, "q", "t", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "id is missing",
                () -> new TaskMessage(1, " ", "q", "t", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "queue is missing",
                () -> new TaskMessage(1, "i", null, "t", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "task is missing",
                () -> new TaskMessage(1, "i", "q", "", one, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "client is missing",
                () -> new TaskMessage(1, "i", "q", "t", one, false, null, 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "args is missing",
                () -> new TaskMessage(1, "i", "q", "t", null, false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "exactly one argument, got 2",
                () -> new TaskMessage(1, "i", "q", "t", args(2), false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "exactly one argument, got 0",
                () -> new TaskMessage(1, "i", "q", "t", args(0), false, "c", 0, 0, 0, List.of(), List.of(), 0));
        assertRejected(
                "timeoutMs",
                () -> new TaskMessage(1, "i", "q", "t", args(1), false, "c", -5, 0, 0, List.of(), List.of(), 0));
    }

    @Test
    void missingFieldsInJsonAreRejectedByValidate() throws Exception {
        TaskMessage m = Json.MAPPER.readValue(
                "{\"v\":1,\"queue\":\"q\",\"task\":\"t\",\"client\":\"c\",\"args\":[1]}", TaskMessage.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::validate);
        assertEquals("id is missing", e.getMessage());
    }

    @Test
    void chunkedMessageMayCarrySeveralArgs() {
        TaskMessage m = new TaskMessage(1, "i", "q", "t", args(5), true, "c", 0, 0, 0, List.of(), List.of(), 0);
        assertSame(m, m.validate());
    }

    private static void assertRejected(String expected, Supplier<TaskMessage> message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> message.get().validate());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
