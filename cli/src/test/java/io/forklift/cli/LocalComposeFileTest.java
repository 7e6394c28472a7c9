package io.forklift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.local.yml, the override for machines where no image registry answers: it only swaps
 * images for the ones docker/local-images.sh builds, and leaves Grafana (no Debian package) behind a
 * profile. ComposeStackIT runs it for real where a Docker engine starts.
 */
class LocalComposeFileTest {
    private static final Set<String> OVERRIDE_KEYS = Set.of("image", "profiles");
    /** The images docker/local-images.sh makes: the first argument of each `import` call. */
    private static final Pattern IMPORTED = Pattern.compile("(?m)^\\s+import\\s+(\\S+)");

    private final JsonNode base = RepoFiles.yaml("docker-compose.yml").path("services");
    private final JsonNode local = RepoFiles.yaml("docker-compose.local.yml").path("services");

    @Test
    void everyServiceOfTheBaseFileIsCoveredAndNothingElseChanges() {
        assertEquals(
                names(base), names(local), "docker-compose.local.yml should name each service of docker-compose.yml");
        local.fields()
                .forEachRemaining(service -> service.getValue()
                        .fieldNames()
                        .forEachRemaining(key -> assertTrue(
                                OVERRIDE_KEYS.contains(key),
                                "docker-compose.local.yml changes " + service.getKey() + "." + key
                                        + "; it should only swap images (image, profiles)")));
    }

    @Test
    void everyImageItNamesIsOneTheScriptBuilds() {
        Set<String> built = new TreeSet<>();
        Matcher m = IMPORTED.matcher(RepoFiles.text("docker/local-images.sh"));
        while (m.find()) built.add(m.group(1));
        assertEquals(
                Set.of(
                        "forklift-local/base:bookworm",
                        "forklift-local/redis:bookworm",
                        "forklift-local/prometheus:bookworm",
                        "forklift:local"),
                built,
                "images docker/local-images.sh imports");
        local.fields().forEachRemaining(service -> {
            if (service.getValue().has("image")) {
                String image = service.getValue().path("image").asText();
                assertTrue(built.contains(image), service.getKey() + " uses " + image + ", which no script builds");
            }
        });
        for (String forklift : List.of("coordinator", "worker")) {
            assertEquals(
                    base.path(forklift).path("image").asText(),
                    local.path(forklift).path("image").asText(),
                    forklift + ": `up --no-build` must find the image docker-compose.yml would have built");
        }
    }

    @Test
    void grafanaWhichHasNoDebianPackageStartsOnlyOnRequest() {
        assertEquals(
                "[\"grafana\"]",
                local.path("grafana").path("profiles").toString(),
                "grafana should be behind the profile 'grafana' in docker-compose.local.yml");
        for (String name : List.of("redis", "prometheus")) {
            assertTrue(
                    local.path(name).path("image").asText().startsWith("forklift-local/"),
                    name + " should use a locally built image");
        }
    }

    private static Set<String> names(JsonNode services) {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return new TreeSet<>(names);
    }
}
