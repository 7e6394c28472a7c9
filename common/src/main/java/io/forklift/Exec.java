package io.forklift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The built-in task that runs a command line instead of Java code, for workers written in any
 * language (it sees FORKLIFT_WORKER and FORKLIFT_TASK in its environment): the command must be allow-listed on the worker ({@code forklift worker --exec-allow
 * 'python3 /opt/crawl.py'}); its argument arrives as JSON on stdin; its stdout is the result,
 * parsed as JSON (or taken as text). A non-zero exit fails the task with the exit code and the end
 * of its stderr. Use {@link Pool#withTaskTimeout} to bound it: the worker kills the whole tree.
 */
public final class Exec implements Task<Exec.Request, JsonNode> {
    /** The system property through which a worker hands its children the allow-list (one command per line). */
    public static final String ALLOW_PROPERTY = "forklift.exec.allow";

    private static final int STDERR_TAIL = 2000;

    /**
     * @param command an allow-listed command line, exactly as the worker lists it
     * @param args    further arguments appended to it (may be empty)
     * @param input   sent to the command's stdin as JSON (may be null: nothing is sent)
     */
    public record Request(String command, List<String> args, JsonNode input) {
        public static Request of(String command, Object input) {
            return new Request(command, List.of(), Json.MAPPER.valueToTree(input));
        }
    }

    @Override
    public JsonNode call(Request req, TaskContext ctx) throws Exception {
        List<String> allowed =
                Arrays.asList(System.getProperty(ALLOW_PROPERTY, "").split("\n"));
        if (req.command() == null || req.command().isBlank() || !allowed.contains(req.command())) {
            throw new ExecRefusedException("command '" + req.command() + "' is not allow-listed on worker "
                    + ctx.workerId() + "; start the worker with --exec-allow '" + req.command() + "' to allow it");
        }
        List<String> argv = new ArrayList<>(Arrays.asList(req.command().trim().split("\\s+")));
        if (req.args() != null) argv.addAll(req.args());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("FORKLIFT_WORKER", ctx.workerId());
        pb.environment().put("FORKLIFT_TASK", ctx.taskId());
        Process p = pb.start();
        CompletableFuture<byte[]> stdout = readAll(p.getInputStream());
        CompletableFuture<byte[]> stderr = readAll(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (req.input() != null && !(req.input() instanceof NullNode))
                in.write(Json.MAPPER.writeValueAsBytes(req.input()));
        }
        int exit = p.waitFor();
        String out = new String(stdout.get(), StandardCharsets.UTF_8);
        if (exit != 0) {
            String err = new String(stderr.get(), StandardCharsets.UTF_8).strip();
            throw new ExecFailedException("'" + req.command() + "' exited with " + exit + "; its stderr ends: "
                    + err.substring(Math.max(0, err.length() - STDERR_TAIL)));
        }
        try {
            return Json.MAPPER.readTree(out);
        } catch (IOException notJson) {
            return Json.MAPPER.getNodeFactory().textNode(out);
        }
    }

    private static CompletableFuture<byte[]> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** The command is not on the worker's allow-list; nothing ran. */
    public static final class ExecRefusedException extends ForkliftException {
        public ExecRefusedException(String message) {
            super(message);
        }
    }

    /** The command ran and exited non-zero. */
    public static final class ExecFailedException extends ForkliftException {
        public ExecFailedException(String message) {
            super(message);
        }
    }
}
