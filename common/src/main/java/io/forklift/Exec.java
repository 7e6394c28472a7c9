package io.forklift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The built-in task that runs a command line instead of Java code, for tasks written in any
 * language (it sees FORKLIFT_WORKER and FORKLIFT_TASK in its environment). The command must be an
 * entry of the worker's allow-list ({@code forklift worker --exec-allow 'python3 /opt/crawl.py {url}'});
 * the request names the entry by its text and brings one argument per placeholder, and the entry
 * decides the whole argv ({@link ExecEntry}): anything else is refused before anything runs. The
 * request's input arrives as JSON on stdin; stdout is the result, parsed as JSON (or taken as
 * text). A non-zero exit fails the task with the exit code and the end of its stderr. Use
 * {@link Pool#withTaskTimeout} to bound it: the worker kills the whole tree.
 */
public final class Exec implements Task<Exec.Request, JsonNode> {
    /** The system property through which a worker hands its children the allow-list (one entry per line). */
    public static final String ALLOW_PROPERTY = "forklift.exec.allow";

    private static final int STDERR_TAIL = 2000;

    /**
     * @param command an allow-list entry, exactly as the worker lists it, placeholders included
     * @param args    one argument per placeholder of the entry, in order (empty when it has none)
     * @param input   sent to the command's stdin as JSON (may be null: nothing is sent)
     */
    public record Request(String command, List<String> args, JsonNode input) {
        /** Runs an entry without placeholders, {@code input} on its stdin. */
        public static Request of(String command, Object input) {
            return new Request(command, List.of(), Json.MAPPER.valueToTree(input));
        }

        /** Runs an entry with placeholders, filled by {@code args} in order, and nothing on its stdin. */
        public static Request withArgs(String command, String... args) {
            return new Request(command, List.of(args), null);
        }
    }

    @Override
    public JsonNode call(Request req, TaskContext ctx) throws Exception {
        ExecEntry entry = allowed(req.command())
                .orElseThrow(() -> new ExecRefusedException("command '" + req.command()
                        + "' is not allow-listed on worker " + ctx.workerId() + "; start the worker with "
                        + "--exec-allow '" + req.command() + "' to allow it, nothing ran"));
        ProcessBuilder pb = new ProcessBuilder(entry.argv(req.args()));
        pb.environment().put("FORKLIFT_WORKER", ctx.workerId());
        pb.environment().put("FORKLIFT_TASK", ctx.taskId());
        Process p = pb.start();
        CompletableFuture<byte[]> stdout = readAll(p.getInputStream());
        CompletableFuture<byte[]> stderr = readTail(p.getErrorStream(), STDERR_TAIL * 4);
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

    /** The entry of this worker's allow-list whose text is {@code command}. */
    private static Optional<ExecEntry> allowed(String command) {
        if (command == null || command.isBlank()) return Optional.empty();
        return Arrays.stream(System.getProperty(ALLOW_PROPERTY, "").split("\n"))
                .filter(line -> line.strip().equals(command.strip()))
                .findFirst()
                .map(ExecEntry::parse);
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

    /** Reads a stream to its end, keeping only its last {@code keep} bytes: a chatty command cannot fill the heap. */
    private static CompletableFuture<byte[]> readTail(InputStream stream, int keep) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] tail = new byte[keep];
            int size = 0;
            byte[] chunk = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(chunk)) > 0) {
                    int from = Math.max(0, n - keep); // of this chunk, only its last keep bytes can stay
                    int drop = Math.min(size, Math.max(0, size + (n - from) - keep)); // from the kept tail
                    System.arraycopy(tail, drop, tail, 0, size - drop);
                    size -= drop;
                    System.arraycopy(chunk, from, tail, size, n - from);
                    size += n - from;
                }
            } catch (IOException e) {
                // the process is gone: what was read is the tail
            }
            return java.util.Arrays.copyOf(tail, size);
        });
    }

    /** The command is not on the worker's allow-list, or its arguments do not fit the entry; nothing ran. */
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
