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
 * on its class path and in the jars of its tasks folder. A list whose first line is
 * {@value #OPT_IN} counts only in a jar of the tasks folder: the examples jar is on the
 * {@code forklift} command's class path, and its tasks (FetchPage fetches any URL) must not run on
 * every worker. Read as text, so the daemon never loads, let alone instantiates, a class named by a
 * payload. The tasks folder's jars may also list Jackson modules, which its children register.
 */
final class TaskCatalog {
    private static final String SERVICES = "META-INF/services/" + Task.class.getName();
    private static final String JACKSON_MODULES = "META-INF/services/com.fasterxml.jackson.databind.Module";
    /** The first line of a task list whose jar must be in the tasks folder to count. */
    static final String OPT_IN = "# forklift: opt-in";

    private final Set<String> names;
    private final List<Path> jars;
    private final List<String> jacksonModules;

    private TaskCatalog(Set<String> names, List<Path> jars, List<String> jacksonModules) {
        this.names = Collections.unmodifiableSet(names);
        this.jars = List.copyOf(jars);
        this.jacksonModules = List.copyOf(jacksonModules);
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
        Set<String> names = new TreeSet<>(readAll(TaskCatalog.class.getClassLoader(), SERVICES, false));
        List<String> modules;
        try (URLClassLoader folder = new URLClassLoader(urls, null)) { // the tasks folder's jars alone
            names.addAll(readAll(folder, SERVICES, true));
            modules = readAll(folder, JACKSON_MODULES, true);
        }
        return new TaskCatalog(names, jars, modules);
    }

    /** A catalog of these names and no jars, for tests. */
    static TaskCatalog of(Set<String> names) {
        return new TaskCatalog(new TreeSet<>(names), List.of(), List.of());
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

    /** The Jackson modules the tasks folder's jars list as services: a child registers them beside the worker's own. */
    List<String> jacksonModules() {
        return jacksonModules;
    }

    /** The names every {@code list} that {@code loader} finds holds (see {@link #read}). */
    private static List<String> readAll(ClassLoader loader, String list, boolean inTasksFolder) throws IOException {
        List<String> names = new ArrayList<>();
        Enumeration<URL> lists = loader.getResources(list);
        while (lists.hasMoreElements()) names.addAll(read(lists.nextElement(), inTasksFolder));
        return names;
    }

    /** The names a list holds; none if it is opt-in and {@code inTasksFolder} is false. */
    private static List<String> read(URL list, boolean inTasksFolder) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (line != null && line.strip().equals(OPT_IN) && !inTasksFolder) return names;
            for (; line != null; line = r.readLine()) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!name.isEmpty()) names.add(name);
            }
        }
        return names;
    }
}
