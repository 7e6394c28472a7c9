package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.RetryPolicy;
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
                RetryPolicy.NONE,
                0);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        for (TaskMessage m : new TaskMessage[] {
            valid(),
            new TaskMessage(TaskMessage.VERSION, "id-2", "q", "exec", args(3), true, "c", 0, RetryPolicy.NONE, 0)
        }) {
            byte[] json = Json.MAPPER.writeValueAsBytes(m);
            TaskMessage back = Json.MAPPER.readValue(json, TaskMessage.class);
            assertEquals(m, back);
            assertSame(back, back.validate());
        }
        assertEquals(0, valid().arg().get("n").asInt());
    }

    @Test
    void fieldsAtTheirDefaultsAreLeftOutAndReadAsTheirDefaults() throws Exception {
        String plain = Json.MAPPER.writeValueAsString(valid());
        for (String field : List.of("chunked", "timeoutMs", "retry", "process")) {
            assertFalse(plain.contains('"' + field + '"'), field + " left out of " + plain);
        }
        assertEquals(valid(), Json.MAPPER.readValue(plain, TaskMessage.class));
        TaskMessage routed = TaskMessage.readWithoutArgs(plain);
        assertEquals(RetryPolicy.NONE, routed.retry());
        assertEquals(0, routed.timeoutMs());

        RetryPolicy retries = new RetryPolicy(3, 100, List.of("java.io.IOException"), List.of());
        TaskMessage full =
                new TaskMessage(TaskMessage.VERSION, "id-3", "q", "exec", args(2), true, "c", 5_000, retries, 7, null);
        String written = Json.MAPPER.writeValueAsString(full);
        for (String field : List.of("chunked", "timeoutMs", "retry")) {
            assertTrue(written.contains('"' + field + '"'), field + " written in " + written);
        }
        assertEquals(full, Json.MAPPER.readValue(written, TaskMessage.class));
        TaskMessage fullRouted = TaskMessage.readWithoutArgs(written);
        assertEquals(retries, fullRouted.retry());
        assertEquals(5_000, fullRouted.timeoutMs());
        assertTrue(fullRouted.chunked());
    }

    @Test
    void validateNamesTheBadField() {
        ArrayNode one = args(1);
        assertRejected(
                "wire version", () -> new TaskMessage(3, "i", "q", "t", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "wire version", () -> new TaskMessage(0, "i", "q", "t", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "id is missing",
                () -> new TaskMessage(TaskMessage.VERSION, null, "q", "t", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "id is missing",
                () -> new TaskMessage(TaskMessage.VERSION, " ", "q", "t", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "queue is missing",
                () -> new TaskMessage(TaskMessage.VERSION, "i", null, "t", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "task is missing",
                () -> new TaskMessage(TaskMessage.VERSION, "i", "q", "", one, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "client is missing",
                () -> new TaskMessage(TaskMessage.VERSION, "i", "q", "t", one, false, null, 0, RetryPolicy.NONE, 0));
        assertRejected(
                "args is missing",
                () -> new TaskMessage(TaskMessage.VERSION, "i", "q", "t", null, false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "exactly one argument, got 2",
                () -> new TaskMessage(TaskMessage.VERSION, "i", "q", "t", args(2), false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "exactly one argument, got 0",
                () -> new TaskMessage(TaskMessage.VERSION, "i", "q", "t", args(0), false, "c", 0, RetryPolicy.NONE, 0));
        assertRejected(
                "timeoutMs",
                () -> new TaskMessage(
                        TaskMessage.VERSION, "i", "q", "t", args(1), false, "c", -5, RetryPolicy.NONE, 0));
    }

    @Test
    void missingFieldsInJsonAreRejectedByValidate() throws Exception {
        TaskMessage m = Json.MAPPER.readValue(
                "{\"v\":2,\"queue\":\"q\",\"task\":\"t\",\"client\":\"c\",\"args\":[1]}", TaskMessage.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::validate);
        assertEquals("id is missing", e.getMessage());
    }

    @Test
    void chunkedMessageMayCarrySeveralArgs() {
        TaskMessage m = new TaskMessage(TaskMessage.VERSION, "i", "q", "t", args(5), true, "c", 0, RetryPolicy.NONE, 0);
        assertSame(m, m.validate());
    }

    @Test
    void aWorkerReadsAMessageWithoutItsArgumentsButChecksTheirCount() throws Exception {
        TaskMessage m = new TaskMessage(
                TaskMessage.VERSION,
                "i",
                "q",
                "t",
                args(3),
                true,
                "c",
                250,
                new RetryPolicy(3, 100, List.of("java.io.IOException"), List.of()),
                7);
        TaskMessage read = TaskMessage.readWithoutArgs(Json.MAPPER.writeValueAsString(m));
        assertEquals(null, read.args(), "the arguments are streamed past, not built");
        assertEquals(new TaskMessage(m.v(), "i", "q", "t", null, true, "c", 250, m.retry(), 7), read);
        String twoArgsUnchunked =
                "{\"v\":2,\"id\":\"i\",\"queue\":\"q\",\"task\":\"t\",\"client\":\"c\",\"args\":[1,2]}";
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TaskMessage.readWithoutArgs(twoArgsUnchunked));
        assertEquals("an unchunked task takes exactly one argument, got 2", e.getMessage());
    }

    private static void assertRejected(String expected, Supplier<TaskMessage> message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> message.get().validate());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
