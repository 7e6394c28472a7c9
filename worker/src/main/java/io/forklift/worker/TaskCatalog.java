package io.forklift.worker;

import io.forklift.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task names this worker will run: those listed in {@code META-INF/services/io.forklift.Task}
 * on its class path and in the jars of its tasks folder. Read as text, so the daemon never loads,
 * let alone instantiates, a class named by a payload.
 */
final class TaskCatalog {
    private static final String SERVICES = "META-INF/services/" + Task.class.getName();
    private final Set<String> names;
    private final List<Path> jars;

    private TaskCatalog(Set<String> names, List<Path> jars) {
        this.names = Collections.unmodifiableSet(names);
        this.jars = List.copyOf(jars);
    }

    static TaskCatalog scan(Path tasksDir) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (tasksDir != null) {
            if (!Files.isDirectory(tasksDir)) throw new IOException("--tasks " + tasksDir + " is not a folder");
            try (DirectoryStream<Path> found = Files.newDirectoryStream(tasksDir, "*.jar")) {
                found.forEach(jars::add);
            }
            Collections.sort(jars);
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) urls[i] = jars.get(i).toUri().toURL();
        Set<String> names = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(urls, TaskCatalog.class.getClassLoader())) {
            Enumeration<URL> lists = loader.getResources(SERVICES);
            while (lists.hasMoreElements()) names.addAll(read(lists.nextElement()));
        }
        return new TaskCatalog(names, jars);
    }

    /** A catalog of these names and no jars, for tests. */
    static TaskCatalog of(Set<String> names) {
        return new TaskCatalog(new TreeSet<>(names), List.of());
    }

    boolean contains(String name) {
        return names.contains(name);
    }

    Set<String> names() {
        return names;
    }

    List<Path> jars() {
        return jars;
    }

    private static List<String> read(URL list) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!name.isEmpty()) names.add(name);
            }
        }
        return names;
    }
}
