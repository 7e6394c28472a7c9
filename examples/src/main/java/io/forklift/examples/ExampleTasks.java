package io.forklift.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The examples as a task jar for a worker's {@code --tasks} folder. The example tasks (FetchPage
 * fetches any URL it is given) are listed for opt-in only: a worker registers them when their jar is
 * in its tasks folder, never merely because the jar is on its class path, as it is on the
 * {@code forklift} command's. {@code forklift local} and the examples' tests start their workers with
 * the folder this makes.
 */
public final class ExampleTasks {
    private ExampleTasks() {}

    /**
     * Puts the examples jar in {@code folder} (created if needed) and returns the folder. When the
     * examples run from a class folder (an IDE, a module's own tests), the jar is packed from it.
     */
    public static Path folder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path jar = folder.resolve("forklift-examples.jar");
        Path source = location();
        if (Files.isDirectory(source)) {
            pack(source, jar);
        } else {
            Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        return folder;
    }

    private static Path location() throws IOException {
        try {
            return Path.of(ExampleTasks.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot find where the examples were loaded from", e);
        }
    }

    private static void pack(Path classes, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out)) {
            for (Path f : files) {
                zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }
}
