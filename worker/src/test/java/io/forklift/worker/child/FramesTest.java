package io.forklift.worker.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void framesRoundTripOverAPipeThenCleanEofIsNull() throws Exception {
        byte[] small = "{\"id\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        byte[] empty = new byte[0];
        byte[] big = new byte[200_000]; // larger than the pipe's buffer: the writer blocks until read
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;

        PipedInputStream pipeIn = new PipedInputStream(4096);
        DataOutputStream out = new DataOutputStream(new PipedOutputStream(pipeIn));
        DataInputStream in = new DataInputStream(pipeIn);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (out) {
                Frames.write(out, small);
                Frames.write(out, empty);
                Frames.write(out, big);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(small, Frames.read(in));
        assertArrayEquals(empty, Frames.read(in));
        assertArrayEquals(big, Frames.read(in));
        assertNull(Frames.read(in), "a closed stream between frames is a clean end");
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void corruptLengthThrows() {
        byte[] negative = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 1, 2};
        IOException e = assertThrows(
                IOException.class, () -> Frames.read(new DataInputStream(new ByteArrayInputStream(negative))));
        assertTrue(e.getMessage().contains("corrupt frame length"), e.getMessage());

        byte[] huge = {(byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(IOException.class, () -> Frames.read(new DataInputStream(new ByteArrayInputStream(huge))));

        // An agent that prints "Profiling started" on a child's stdout: the error quotes the text.
        byte[] printed = "Profiling started\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        IOException text = assertThrows(
                IOException.class, () -> Frames.read(new DataInputStream(new ByteArrayInputStream(printed))));
        assertTrue(text.getMessage().contains("starts with the text \"Prof\""), text.getMessage());
    }

    @Test
    void streamCutInsideAFrameIsNotACleanEnd() {
        byte[] truncated = {0, 0, 0, 10, 'a', 'b'};
        assertThrows(EOFException.class, () -> Frames.read(new DataInputStream(new ByteArrayInputStream(truncated))));
    }
}
