package io.forklift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml read as Docker Compose would read it, without a Docker engine: its services,
 * the variables it takes from .env, the env vars the forklift commands read, the files it mounts.
 */
class ComposeFileTest {
    private static final List<String> SERVICES = List.of("redis", "coordinator", "worker", "prometheus", "grafana");
    /** ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; group 2 is the operator. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*}");

    private final String composeText = RepoFiles.text("docker-compose.yml");
    private final JsonNode services = RepoFiles.yaml("docker-compose.yml").path("services");

    @Test
    void everyServiceIsThereAndHasAnImageOrABuild() {
        for (String name : SERVICES) {
            JsonNode service = services.path(name);
            assertTrue(service.isObject(), "docker-compose.yml has no service '" + name + "'");
            assertTrue(
                    service.has("image") || service.has("build"), "service '" + name + "' has neither image nor build");
            if (service.has("build")) {
                String context = service.path("build").isTextual()
                        ? service.path("build").asText()
                        : service.path("build").path("context").asText(".");
                assertTrue(
                        Files.isRegularFile(RepoFiles.path(context).resolve("Dockerfile")),
                        "service '" + name + "' builds from '" + context + "', which has no Dockerfile");
            }
        }
    }

    @Test
    void workerScalesAndReadsTheMountedTaskJars() {
        JsonNode worker = services.path("worker");
        assertFalse(
                worker.has("ports"),
                "worker publishes host ports, so `--scale worker=3` would clash: " + worker.path("ports"));
        assertFalse(worker.has("container_name"), "worker has a container_name, so it cannot scale");
        assertTrue(
                strings(worker.path("volumes")).stream().anyMatch(v -> v.startsWith("./tasks:/opt/forklift/tasks")),
                "worker does not mount ./tasks at /opt/forklift/tasks: " + worker.path("volumes"));
        assertTrue(
                command(worker).contains("--tasks /opt/forklift/tasks"),
                "worker is not started with --tasks /opt/forklift/tasks: " + command(worker));
    }

    @Test
    void redisKeepsItsDataAndNeverEvicts() {
        String command = command(services.path("redis"));
        for (String wanted : List.of(
                "--appendonly yes", "--maxmemory-policy noeviction", "--requirepass ${FORKLIFT_REDIS_PASSWORD")) {
            assertTrue(command.contains(wanted), "redis command lacks '" + wanted + "': " + command);
        }
    }

    @Test
    void healthChecksProbeThePortsThatPrometheusScrapes() {
        for (String name : List.of("redis", "coordinator", "worker", "prometheus", "grafana")) {
            assertFalse(
                    strings(services.path(name).path("healthcheck").path("test"))
                            .isEmpty(),
                    "service '" + name + "' has no healthcheck test");
        }
        assertEquals(
                List.of("CMD", "forklift-health", "9465"),
                strings(services.path("coordinator").path("healthcheck").path("test")),
                "coordinator health check should GET /metrics on 9465");
        assertEquals(
                List.of("CMD", "forklift-health", "9464"),
                strings(services.path("worker").path("healthcheck").path("test")),
                "worker health check should GET /metrics on 9464");
        assertTrue(
                Files.isExecutable(RepoFiles.path("docker/forklift-health")),
                "docker/forklift-health is missing or not executable");
        assertTrue(
                RepoFiles.text("Dockerfile").contains("docker/forklift-health"),
                "the Dockerfile does not copy docker/forklift-health into the image");
    }

    @Test
    void everyVariableIsDefinedInDotEnvOrHasADefault() {
        Map<String, String> env = dotEnv();
        String text = composeText.replace("$$", ""); // $$ is a literal $, not a variable
        Matcher m = VARIABLE.matcher(text);
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
            boolean hasDefault = m.group(2) != null && m.group(2).endsWith("-");
            assertTrue(
                    hasDefault || env.containsKey(m.group(1)),
                    "docker-compose.yml uses ${" + m.group(1) + "} but .env does not define it");
        }
        assertFalse(
                text.replaceAll(VARIABLE.pattern(), "").contains("$"),
                "docker-compose.yml has a $ that is neither ${VAR} nor $$");
        for (String name : env.keySet()) {
            assertTrue(used.contains(name), ".env defines " + name + " but docker-compose.yml never uses it");
        }
    }

    @Test
    void forkliftEnvironmentVariablesAreOnesTheCommandsRead() {
        Set<String> read = envVarsReadBySources();
        assertTrue(
                read.contains("FORKLIFT_REDIS"),
                "found no ${env:FORKLIFT_REDIS…} option default in the sources: " + read);
        for (String name : List.of("coordinator", "worker")) {
            JsonNode environment = services.path(name).path("environment");
            assertTrue(environment.isObject(), "service '" + name + "' has no environment map");
            environment
                    .fieldNames()
                    .forEachRemaining(key -> assertTrue(
                            read.contains(key),
                            "service '" + name + "' sets " + key + ", which no forklift command reads (they read "
                                    + read + ")"));
            String redis = environment.path("FORKLIFT_REDIS").asText();
            assertEquals(
                    "redis://:${FORKLIFT_REDIS_PASSWORD}@redis:6379",
                    redis,
                    "service '" + name + "' does not reach the redis service with the password");
        }
    }

    @Test
    void everyMountedHostPathExistsAndEveryNamedVolumeIsDeclared() {
        JsonNode declared = RepoFiles.yaml("docker-compose.yml").path("volumes");
        for (String name : SERVICES) {
            for (String volume : strings(services.path(name).path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(
                            Files.exists(RepoFiles.path(source)),
                            "service '" + name + "' mounts " + source + ", which is not in the repository");
                } else {
                    assertTrue(
                            declared.has(source),
                            "service '" + name + "' mounts volume '" + source + "', not declared under volumes:");
                }
            }
        }
    }

    @Test
    void prometheusAndGrafanaMountTheirConfigurationWhereTheyReadIt() {
        List<String> prometheus = strings(services.path("prometheus").path("volumes"));
        assertTrue(
                prometheus.contains("./grafana/prometheus.yml:/etc/prometheus/prometheus.yml:ro"),
                "prometheus does not mount ./grafana/prometheus.yml as its configuration: " + prometheus);
        assertEquals(
                List.of("127.0.0.1:${PROMETHEUS_PORT:-9090}:9090"),
                strings(services.path("prometheus").path("ports")),
                "prometheus should publish 9090 on loopback");

        List<String> grafana = strings(services.path("grafana").path("volumes"));
        assertTrue(
                grafana.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"),
                "grafana does not mount the provisioning folder: " + grafana);
        String dashboards = RepoFiles.yaml("grafana/provisioning/dashboards/forklift.yml")
                .path("providers")
                .path(0)
                .path("options")
                .path("path")
                .asText();
        assertTrue(
                grafana.contains("./grafana/dashboards:" + dashboards + ":ro"),
                "grafana does not mount ./grafana/dashboards at " + dashboards
                        + ", where its dashboard provider looks: " + grafana);
        assertEquals(
                List.of("127.0.0.1:${GRAFANA_PORT:-3000}:3000"),
                strings(services.path("grafana").path("ports")),
                "grafana should publish 3000 on loopback");
    }

    @Test
    void everyPublishedPortListensOnLoopbackOnly() {
        for (String name : SERVICES) {
            for (String port : strings(services.path(name).path("ports"))) {
                assertTrue(
                        port.startsWith("127.0.0.1:"),
                        "service '" + name + "' publishes " + port + " on every interface; bind it to 127.0.0.1");
            }
        }
    }

    @Test
    void composeRefusesToStartWithoutPasswordsAndTheTrackedEnvHasNone() {
        Map<String, String> env = dotEnv();
        for (String secret : List.of("FORKLIFT_REDIS_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "FORKLIFT_AUTHKEY")) {
            assertEquals("", env.get(secret), ".env should leave " + secret + " empty, for each user to set");
            assertTrue(
                    composeText.contains("${" + secret + ":?set " + secret + " in .env"),
                    "docker-compose.yml should refuse an empty " + secret + " with ${" + secret + ":?set " + secret
                            + " in .env…}");
        }
    }

    @Test
    void theImagesLauncherRefusesThePlaceholderPassword() throws Exception {
        LauncherRun refused = launcher("redis://:change-me-forklift@redis:6379");
        assertEquals(2, refused.exit(), "docker/forklift should refuse a change-me password: " + refused.stderr());
        assertTrue(
                refused.stderr().contains("set FORKLIFT_REDIS_PASSWORD in .env"),
                "the refusal should say what to set: " + refused.stderr());
        LauncherRun passed = launcher("redis://:x7Kq2-real_secret@redis:6379");
        assertFalse(
                passed.stderr().contains("placeholder"), "docker/forklift refused a real password: " + passed.stderr());
    }

    @Test
    void grafanaHasNoAnonymousViewers() {
        JsonNode environment = services.path("grafana").path("environment");
        assertEquals(
                "false",
                environment.path("GF_AUTH_ANONYMOUS_ENABLED").asText(),
                "grafana should not let anyone in without a login");
        assertFalse(environment.has("GF_AUTH_ANONYMOUS_ORG_ROLE"), "grafana still names a role for anonymous viewers");
    }

    @Test
    void workersHaveMemoryAndProcessLimits() {
        JsonNode worker = services.path("worker");
        assertTrue(worker.path("pids_limit").asInt() > 0, "worker has no pids_limit: " + worker.path("pids_limit"));
        assertEquals(
                "${FORKLIFT_WORKER_MEMORY:?set FORKLIFT_WORKER_MEMORY in .env}",
                worker.path("mem_limit").asText(),
                "worker's mem_limit should come from FORKLIFT_WORKER_MEMORY in .env");
        assertTrue(
                dotEnv().getOrDefault("FORKLIFT_WORKER_MEMORY", "").matches("[0-9]+[mg]"),
                ".env's FORKLIFT_WORKER_MEMORY should be a size such as 1g");
    }

    /** docker/forklift run by bash on this machine, with FORKLIFT_REDIS set; it execs java only past its checks. */
    private static LauncherRun launcher(String forkliftRedis) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("bash", RepoFiles.path("docker/forklift").toString(), "--version");
        pb.environment().put("FORKLIFT_REDIS", forkliftRedis);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("docker/forklift did not end within 30 s");
        }
        return new LauncherRun(p.exitValue(), stderr);
    }

    private record LauncherRun(int exit, String stderr) {}

    /** KEY=VALUE lines of .env; comments and blank lines skipped. */
    static Map<String, String> dotEnv() {
        Map<String, String> env = new HashMap<>();
        for (String line : RepoFiles.text(".env").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            int eq = trimmed.indexOf('=');
            if (eq <= 0) fail(".env has a line that is not KEY=VALUE: " + line);
            env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return env;
    }

    /** Env vars the commands read: picocli defaults ${env:NAME…} in the main sources, and ${NAME…} in the image's launcher. */
    private static Set<String> envVarsReadBySources() {
        Set<String> read = new TreeSet<>();
        Pattern picocli = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
        Pattern getenv = Pattern.compile("getenv\\(\"([A-Z0-9_]+)\"\\)");
        for (String module : List.of("common", "daemon", "worker", "coordinator", "cli")) {
            try (Stream<Path> files = Files.walk(RepoFiles.path(module + "/src/main"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    addAll(read, picocli, f);
                    addAll(read, getenv, f);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        addAll(read, Pattern.compile("\\$\\{([A-Z0-9_]+)"), RepoFiles.path("docker/forklift"));
        return read;
    }

    private static void addAll(Set<String> into, Pattern pattern, Path file) {
        try {
            Matcher m = pattern.matcher(Files.readString(file));
            while (m.find()) into.add(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command given as a string or as a list, as one string. */
    private static String command(JsonNode service) {
        return String.join(" ", strings(service.path("command"))).replaceAll("\\s+", " ");
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) out.add(node.asText());
        node.elements().forEachRemaining(e -> out.add(e.asText()));
        return out;
    }
}
