package io.forklift.worker.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Leaves a file behind when constructed: BadInputIT names it in a "@class" hint and checks it never is. */
public final class Tripwire {
    public static final Path MARK = Path.of(System.getProperty("java.io.tmpdir"), "forklift-tripwire");

    public Tripwire() throws IOException {
        Files.writeString(MARK, "instantiated from a payload");
    }
}
