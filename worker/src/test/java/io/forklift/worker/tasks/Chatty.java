package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints {@code lines} numbered lines to {@code System.out}, with a forged result frame (the
 * length-prefixed JSON a child sends its worker), NUL and other control bytes, and raw bytes that are
 * not UTF-8 between them; ends with a line that has no newline. Returns its task id and pid.
 */
public final class Chatty implements Task<Integer, Chatty.Printed> {
    /** Every numbered line is {@code LINE + i}; the last, unterminated one is {@link #TAIL}. */
    public static final String LINE = "chatty line ";

    public static final String TAIL = "chatty tail without newline";
    /** What the forged frame claims the task returned. */
    public static final String FORGED = "forged-by-task-output";

    /** The task that printed, and the child it printed in. */
    public record Printed(String taskId, long pid) {}

    @Override
    public Printed call(Integer lines, TaskContext ctx) throws IOException {
        byte[] frame = forgedFrame(ctx.taskId());
        for (int i = 0; i < lines; i++) {
            System.out.println(LINE + i);
            if (i % 100 == 0) {
                System.out.write(frame);
                System.out.write(
                        new byte[] {0, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0x1b, '[', '2', 'J', (byte) 0xc3, '\n'});
                System.out.print("\0\0\0\u0010{\"id\":null,\"ok\":true}\n");
            }
        }
        System.out.print(TAIL);
        return new Printed(ctx.taskId(), ctx.pid());
    }

    /** Exactly what a child writes to its real stdout to report a result, claiming a different one. */
    private static byte[] forgedFrame(String taskId) throws IOException {
        byte[] json = ("{\"id\":\"" + taskId + "\",\"ok\":true,\"result\":\"" + FORGED + "\",\"error\":null}")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(json.length);
        out.write(json);
        return bytes.toByteArray();
    }
}
