package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Signing and verifying: only an exact, unexpired value signed with a held key, for the same kind and binding, verifies. */
class AuthkeyTest {
    private static final Authkey KEY = Authkey.of(List.of("0123456789abcdef0123456789abcdef"));
    private static final Authkey OTHER = Authkey.of(List.of("fedcba9876543210fedcba9876543210"));
    private static final long NOW = 1_800_000_000_000L;
    private static final String JSON = "{\"v\":2,\"id\":\"c-1\",\"queue\":\"q\",\"args\":[\"é.😀\"]}";

    @Test
    void aSignedValueVerifiesAndKeepsItsPayloadAndExpiry() {
        String signed = KEY.sign(Authkey.TASK, "q", NOW + 1000, JSON);
        assertTrue(signed.startsWith("fl1." + KEY.keyId() + "." + (NOW + 1000) + "."), signed);
        assertEquals(new Authkey.Opened(JSON, NOW + 1000), KEY.verify(Authkey.TASK, "q", signed, NOW));
        assertEquals(JSON, Authkey.unwrap(signed));
        assertEquals(JSON, Authkey.unwrap(JSON), "an unsigned value is its own payload");
    }

    @Test
    void anyChangeOrAnotherBindingIsRefused() {
        String signed = KEY.sign(Authkey.TASK, "q", NOW + 1000, JSON);
        assertRefused("not signed", () -> KEY.verify(Authkey.TASK, "q", JSON, NOW));
        assertRefused("does not match", () -> KEY.verify(Authkey.TASK, "q", signed.replace("c-1", "c-2"), NOW));
        assertRefused("does not match", () -> KEY.verify(Authkey.TASK, "other-queue", signed, NOW));
        assertRefused("does not match", () -> KEY.verify(Authkey.REPLY, "q", signed, NOW));
        String laterExpiry = signed.replace("." + (NOW + 1000) + ".", "." + (NOW + 9_999_999) + ".");
        assertRefused("does not match", () -> KEY.verify(Authkey.TASK, "q", laterExpiry, NOW));
        assertRefused("does not hold", () -> OTHER.verify(Authkey.TASK, "q", signed, NOW));
        assertRefused("expired", () -> KEY.verify(Authkey.TASK, "q", signed, NOW + 1000));
        assertEquals(JSON, KEY.open(Authkey.TASK, "q", signed).payload(), "open ignores the expiry");
    }

    @Test
    void duringARotationTheNewKeySignsAndBothVerify() {
        Authkey rotating = Authkey.of(List.of("fedcba9876543210fedcba9876543210", "0123456789abcdef0123456789abcdef"));
        String old = KEY.sign(Authkey.REPLY, "client", NOW + 1000, JSON);
        assertEquals(JSON, rotating.verify(Authkey.REPLY, "client", old, NOW).payload(), "the old key still verifies");
        String fresh = rotating.sign(Authkey.REPLY, "client", NOW + 1000, JSON);
        assertEquals(OTHER.keyId(), rotating.keyId(), "the new key signs");
        assertEquals(JSON, OTHER.verify(Authkey.REPLY, "client", fresh, NOW).payload());
        assertNotEquals(KEY.keyId(), OTHER.keyId());
    }

    @Test
    void aShortKeyIsRefusedNamingTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Authkey.of(List.of("short")));
        assertTrue(e.getMessage().contains("at least 16 bytes"), e.getMessage());
    }

    private static void assertRefused(String why, Runnable verify) {
        Authkey.BadSignatureException e = assertThrows(Authkey.BadSignatureException.class, verify::run);
        assertTrue(e.getMessage().contains(why), "expected '" + why + "' in: " + e.getMessage());
    }
}
