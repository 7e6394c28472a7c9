package io.forklift.cli.compose;

import io.forklift.cli.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One docker-compose project of docker-compose.yml with docker-compose.local.yml, under a project
 * name and an env file of its own, driven through the {@code docker-compose} and {@code docker}
 * commands (the engine is DOCKER_HOST's). Every command and its output go to {@code compose.log}
 * in the project's folder. {@link #close()} runs {@code down -v}: containers, network and volumes go.
 */
final class ComposeProject implements AutoCloseable {
    record Result(int exit, String output) {
        Result orThrow(String what) {
            if (exit != 0) throw new IllegalStateException(what + " exited " + exit + ": " + output);
            return this;
        }
    }

    final String name;
    private final Path envFile;
    private final Path log;

    private ComposeProject(String name, Path envFile, Path log) {
        this.name = name;
        this.envFile = envFile;
        this.log = log;
    }

    /** A project named {@code name} whose settings are {@code env}, written to an env file in {@code dir}. */
    static ComposeProject create(String name, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path envFile = dir.resolve("compose.env");
        Files.writeString(
                envFile,
                env.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue() + "\n")
                        .collect(Collectors.joining()));
        return new ComposeProject(name, envFile, dir.resolve("compose.log"));
    }

    /** Why compose cannot run here, or null when it can: the command, an engine, the base images. */
    static String unavailable() throws IOException, InterruptedException {
        if (run(Duration.ofSeconds(30), null, "docker-compose", "version").exit() != 0) {
            return "docker-compose is not installed (apt-get install docker-compose; .ci/run installs it)";
        }
        String host = System.getenv("DOCKER_HOST");
        Result engine = run(Duration.ofSeconds(30), null, "docker", "version", "--format", "{{.Server.Version}}");
        if (engine.exit() != 0) {
            return "no Docker engine answers " + (host == null ? "(DOCKER_HOST is not set)" : "at " + host)
                    + "; .ci/run starts one with docker/engine.sh";
        }
        for (String image : List.of("forklift-local/redis:bookworm", "forklift-local/prometheus:bookworm")) {
            if (run(Duration.ofSeconds(30), null, "docker", "image", "inspect", image)
                            .exit()
                    != 0) {
                return "the engine has no image " + image + "; build it with docker/local-images.sh";
            }
        }
        return null;
    }

    /** {@code docker-compose -p NAME --env-file F -f docker-compose.yml -f docker-compose.local.yml ARGS}. */
    Result compose(Duration timeout, String... args) throws IOException, InterruptedException {
        return compose(envFile, timeout, args);
    }

    /** As {@link #compose(Duration, String...)}, with another env file. */
    Result compose(Path env, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "docker-compose",
                "-p",
                name,
                "--env-file",
                env.toString(),
                "-f",
                RepoFiles.path("docker-compose.yml").toString(),
                "-f",
                RepoFiles.path("docker-compose.local.yml").toString()));
        command.addAll(Arrays.asList(args));
        return run(timeout, log, command.toArray(String[]::new));
    }

    /** {@code docker ARGS}. */
    Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(Arrays.asList(args));
        return run(Duration.ofSeconds(60), log, command.toArray(String[]::new));
    }

    /** Ids of the service's containers, running or stopped. */
    List<String> containers(String service) throws IOException, InterruptedException {
        String out = compose(Duration.ofSeconds(60), "ps", "-q", service)
                .orThrow("docker-compose ps")
                .output();
        // stderr is in the output too (a warning, say): keep what reads as a container id
        return Arrays.stream(out.split("\\s+"))
                .filter(s -> s.matches("[0-9a-f]{64}"))
                .toList();
    }

    /** {@code docker inspect --format FORMAT ID}, trimmed. */
    String inspect(String id, String format) throws IOException, InterruptedException {
        return docker("inspect", "--format", format, id)
                .orThrow("docker inspect")
                .output()
                .strip();
    }

    /** The host side of the project's network: containers reach this machine at this address. */
    String gateway() throws IOException, InterruptedException {
        return docker("network", "inspect", "--format", "{{(index .IPAM.Config 0).Gateway}}", name + "_default")
                .orThrow("docker network inspect")
                .output()
                .strip();
    }

    /** Whatever of this project the engine still has: containers, volumes, networks. Empty after close(). */
    List<String> leftovers() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        String label = "label=com.docker.compose.project=" + name;
        for (List<String> what : List.of(
                List.of("ps", "-a", "-q", "--filter", label),
                List.of("volume", "ls", "-q", "--filter", label),
                List.of("network", "ls", "-q", "--filter", label))) {
            String out = docker(what.toArray(String[]::new))
                    .orThrow("docker " + what)
                    .output();
            Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).forEach(s -> left.add(what.get(0) + " " + s));
        }
        return left;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans").orThrow("docker-compose down -v");
    }

    /** Runs a command with a deadline; its output (stderr merged) is returned and appended to {@code log}. */
    static Result run(Duration timeout, Path log, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("forklift-compose-", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (log != null) {
                Files.createDirectories(log.toAbsolutePath().getParent());
                Files.writeString(
                        log,
                        "$ " + String.join(" ", command) + "\n" + text
                                + (done ? "" : "(killed after " + timeout + ")\n"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            if (!done) throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
            return new Result(p.exitValue(), text);
        } catch (IOException noSuchCommand) {
            if (Files.exists(out)
                    && noSuchCommand.getMessage() != null
                    && noSuchCommand.getMessage().contains("error=2")) {
                return new Result(127, noSuchCommand.getMessage());
            }
            throw noSuchCommand;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
