package io.forklift.worker.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChildProtocolTest {

    @Test
    void aResultCarriesItsIdOutcomeRunTimeAndReplyUntouched() {
        String reply = "{\"id\":\"c1-7\",\"ok\":false,\"error\":\"é\"}";
        byte[] frame = ChildProtocol.result("c1-7", false, 123_456_789L, reply.getBytes(StandardCharsets.UTF_8));
        assertEquals(new ChildProtocol.Result("c1-7", false, 123_456_789L, reply), ChildProtocol.readChild(frame));
    }

    @Test
    void aHelloCarriesThePid() {
        assertEquals(new ChildProtocol.Hello(4242), ChildProtocol.readChild(ChildProtocol.hello(4242)));
    }

    @Test
    void anUnknownFrameTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChildProtocol.readChild(new byte[] {'X', 0, 0}));
    }
}
