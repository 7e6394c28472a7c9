package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Prints one huge line: {@code "out|<bytes>"} to {@code System.out} (through the child's TaskOutput),
 * {@code "err|<bytes>"} straight to {@code System.err} (read by the worker's stderr pump as it is), then
 * a newline; {@code "endless"} prints to {@code System.err} without a newline until it is killed.
 */
public final class Flood implements Task<String, Long> {
    @Override
    public Long call(String how, TaskContext ctx) {
        byte[] mebibyte = new byte[1 << 20];
        Arrays.fill(mebibyte, (byte) 'x');
        if (how.equals("endless")) {
            while (true) System.err.write(mebibyte, 0, mebibyte.length);
        }
        String[] parts = how.split("\\|");
        PrintStream to = parts[0].equals("out") ? System.out : System.err;
        long bytes = Long.parseLong(parts[1]);
        for (long written = 0; written < bytes; written += mebibyte.length) to.write(mebibyte, 0, mebibyte.length);
        to.println();
        to.println("after the flood");
        to.flush();
        return bytes;
    }
}
