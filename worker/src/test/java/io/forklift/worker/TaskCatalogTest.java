package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCatalogTest {
    private static final String PROBE = CatalogProbeTask.class.getName();

    @Test
    void classPathServicesFileIsRead() throws IOException {
        TaskCatalog catalog = TaskCatalog.scan(null);
        assertTrue(catalog.contains(PROBE), catalog.names().toString());
        assertFalse(
                catalog.names().stream().anyMatch(n -> n.contains("#") || n.isBlank()),
                catalog.names().toString());
        assertEquals(List.of(), catalog.jars());
    }

    @Test
    void jarsInTheTasksFolderAddTheirNamesWithoutLoadingThem(@TempDir Path dir) throws IOException {
        // the class does not exist anywhere: the catalog reads names as text and never loads them
        jar(dir.resolve("extra.jar"), "# comment\ncom.example.NotOnClassPath\n\n  com.example.Second  # trailing\n");
        Files.writeString(dir.resolve("notes.txt"), "not a jar");
        TaskCatalog catalog = TaskCatalog.scan(dir);
        assertTrue(
                catalog.contains("com.example.NotOnClassPath"), catalog.names().toString());
        assertTrue(catalog.contains("com.example.Second"), catalog.names().toString());
        assertTrue(catalog.contains(PROBE), "class-path names stay: " + catalog.names());
        assertEquals(List.of(dir.resolve("extra.jar")), catalog.jars());
        assertFalse(catalog.contains("com.example.Missing"));
    }

    @Test
    void nonFolderPathIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tasks.jar"), "x");
        IOException e = assertThrows(IOException.class, () -> TaskCatalog.scan(file));
        assertTrue(e.getMessage().contains("--tasks") && e.getMessage().contains("not a folder"), e.getMessage());
        assertThrows(IOException.class, () -> TaskCatalog.scan(dir.resolve("missing")));
    }

    private static void jar(Path path, String services) throws IOException {
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("META-INF/services/io.forklift.Task"));
            jar.write(services.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
