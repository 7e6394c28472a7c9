package io.forklift.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files at the top of the source tree (docker-compose.yml, .env, grafana/), found from wherever the
 * test runs: Maven runs a module's tests in the module's folder, an IDE often in the top one.
 */
public final class RepoFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private RepoFiles() {}

    /** The folder holding docker-compose.yml and the parent pom, searched upward from the working directory. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder with docker-compose.yml and pom.xml above "
                + Path.of("").toAbsolutePath());
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    public static JsonNode yaml(String relative) {
        return parse(YAML, path(relative));
    }

    public static JsonNode json(String relative) {
        return json(path(relative));
    }

    public static JsonNode json(Path file) {
        return parse(JSON, file);
    }

    private static JsonNode parse(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " does not parse: " + e.getMessage(), e);
        }
    }
}
