package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ForkliftOptionsTest {
    private static final ForkliftOptions OK = ForkliftOptions.of("redis://localhost:6379");

    @Test
    void defaultsAreValid() {
        assertEquals(ForkliftOptions.DEFAULT_PREFIX, OK.prefix());
        assertEquals(Duration.ofSeconds(2), OK.timeout());
        assertEquals(8 * 1024 * 1024, OK.maxPayloadBytes());
        assertEquals(1024, OK.withMaxPayloadBytes(1024).maxPayloadBytes());
        assertEquals(Duration.ZERO, OK.submitWait(), "submits fail at once by default");
        assertEquals(
                Duration.ofSeconds(40),
                OK.withSubmitWait(Duration.ofSeconds(40)).submitWait());
    }

    @Test
    void invalidValuesNameTheOption() {
        assertNamed(IllegalArgumentException.class, "timeout", () -> OK.withTimeout(Duration.ofSeconds(-1)));
        assertNamed(IllegalArgumentException.class, "maxPayloadBytes", () -> OK.withMaxPayloadBytes(1023));
        assertNamed(IllegalArgumentException.class, "maxPayloadBytes", () -> OK.withMaxPayloadBytes(0));
        assertNamed(IllegalArgumentException.class, "timeout", () -> OK.withTimeout(Duration.ZERO));
        assertNamed(NullPointerException.class, "redisUri", () -> ForkliftOptions.of(null));
        assertNamed(NullPointerException.class, "prefix", () -> OK.withPrefix(null));
        assertNamed(IllegalArgumentException.class, "submitWait", () -> OK.withSubmitWait(Duration.ofMillis(-1)));
        assertNamed(NullPointerException.class, "submitWait", () -> OK.withSubmitWait(null));
    }

    private static void assertNamed(Class<? extends RuntimeException> type, String option, Executable build) {
        RuntimeException e = assertThrows(type, build);
        assertTrue(
                e.getMessage() != null && e.getMessage().contains(option),
                "expected '" + option + "' in: " + e.getMessage());
    }
}
