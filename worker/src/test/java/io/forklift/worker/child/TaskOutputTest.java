package io.forklift.worker.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskOutputTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final TaskOutput output = new TaskOutput(new PrintStream(sink, true, StandardCharsets.UTF_8));
    private final PrintStream taskOut = new PrintStream(output, true, StandardCharsets.UTF_8);

    private String written() {
        return sink.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void linesArePrefixedWithTheTaskId() {
        output.task("t1");
        taskOut.println("hello");
        taskOut.print("a\nb\n");
        assertEquals("[task t1] hello\n[task t1] a\n[task t1] b\n", written());
    }

    @Test
    void partialLineIsHeldUntilNewline() {
        output.task("t1");
        taskOut.print("par");
        taskOut.print("tial");
        taskOut.flush();
        assertEquals("", written());
        output.write('!');
        output.write('\n');
        assertEquals("[task t1] partial!\n", written());
    }

    @Test
    void switchingTaskFlushesThePendingLineUnderTheOldId() {
        output.task("t1");
        taskOut.print("unfinished");
        output.task("t2");
        taskOut.println("next");
        assertEquals("[task t1] unfinished\n[task t2] next\n", written());
    }

    @Test
    void nonAsciiTextSurvives() {
        output.task("t1");
        taskOut.println("été 😀");
        assertEquals("[task t1] été 😀\n", written());
    }

    @Test
    void multiByteCharacterWrittenByteByByteSurvives() {
        output.task("t1");
        byte[] bytes = "é€😀\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) output.write(b); // one byte at a time, as System.out.write(int) does
        assertEquals("[task t1] é€😀\n", written());
    }

    @Test
    void longNonAsciiLineSurvives() {
        output.task("t1");
        String longLine = "a" + "é".repeat(8_000); // 16,001 bytes: PrintStream hands them over in pieces
        taskOut.println(longLine);
        assertEquals("[task t1] " + longLine + "\n", written());
    }

    @Test
    void aLineOverTheLimitIsCutWithAMarkerAndTheNextLineIsWhole() {
        output.task("t1");
        byte[] mebibyte = new byte[1 << 20];
        java.util.Arrays.fill(mebibyte, (byte) 'x');
        for (int i = 0; i < 20; i++) output.write(mebibyte, 0, mebibyte.length); // 20 MiB, no newline
        taskOut.println("tail of the long line");
        taskOut.println("next");
        String cut = "[task t1] " + "x".repeat(LineCutter.DEFAULT_LIMIT)
                + String.format(LineCutter.MARKER, LineCutter.DEFAULT_LIMIT) + "\n";
        assertEquals(cut + "[task t1] next\n", written());
    }
}
