package io.forklift.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A child command with its class path's folders (this build's classes) made into jars: the JVM archives
 * classes from jars only, and a worker runs from jars.
 */
final class JarredClassPath {
    private JarredClassPath() {}

    /** {@code command} with each folder on its class path replaced by a jar of it, written in {@code dir}. */
    static List<String> of(List<String> command, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        int cp = cmd.indexOf("-cp");
        List<String> entries = new ArrayList<>();
        for (String entry : cmd.get(cp + 1).split(File.pathSeparator)) {
            Path folder = Path.of(entry);
            if (!Files.isDirectory(folder)) {
                entries.add(entry);
                continue;
            }
            Path jar = dir.resolve("classes-" + entries.size() + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    var files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(
                            new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            entries.add(jar.toString());
        }
        cmd.set(cp + 1, String.join(File.pathSeparator, entries));
        return cmd;
    }
}
