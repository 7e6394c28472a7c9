package io.forklift.cli.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.forklift.coordinator.archfixture.ReachesIntoTheWorker;
import io.forklift.redis.Redis;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the design draws, checked on the product's own classes at every build, so a wrong
 * import fails the build rather than a review. {@link #eachRuleFailsWhenBroken()} shows each rule
 * catches the break it is for, on fixture classes that commit it.
 */
class ArchitectureTest {
    /** common ← daemon ← {worker, coordinator} ← cli; worker and coordinator never import each other. */
    static final ArchRule LAYERS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true) // the fixture check below holds only some layers
            .layer("common")
            .definedBy("io.forklift", "io.forklift.redis..", "io.forklift.wire..")
            .layer("daemon")
            .definedBy("io.forklift.daemon..")
            .layer("worker")
            .definedBy("io.forklift.worker..")
            .layer("coordinator")
            .definedBy("io.forklift.coordinator..")
            .layer("examples")
            .definedBy("io.forklift.examples..")
            .layer("cli")
            .definedBy("io.forklift.cli..")
            .whereLayer("cli")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("worker")
            .mayOnlyBeAccessedByLayers("cli")
            .whereLayer("coordinator")
            .mayOnlyBeAccessedByLayers("cli")
            .whereLayer("examples")
            .mayOnlyBeAccessedByLayers("cli")
            .whereLayer("daemon")
            .mayOnlyBeAccessedByLayers("worker", "coordinator", "cli");

    /** Jedis stays inside the Redis layer (the testkit, which writes around the product on purpose, aside). */
    static final ArchRule JEDIS_STAYS_IN_THE_REDIS_LAYER = noClasses()
            .that()
            .resideOutsideOfPackages("io.forklift.redis..", "io.forklift.testkit..")
            // the bench's floors: the hops of a round trip and of the throughput run with no Forklift code
            // on them, its layer included
            .and()
            .doNotHaveFullyQualifiedName("io.forklift.cli.bench.RoundTripFloor")
            .and()
            .doNotHaveFullyQualifiedName("io.forklift.cli.bench.ThroughputFloor")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("redis.clients..")
            .because("only io.forklift.redis talks to Redis; the rest passes records to it");

    /** Scripts run only through Redis.run / ScriptBatch, which the typed script layer feeds. */
    static final ArchRule ONLY_REDIS_EVALUATES_SCRIPTS = noClasses()
            .that()
            .doNotHaveFullyQualifiedName(Redis.class.getName())
            // the connection's round trips per node (a cluster's batches, WAIT after submits): it passes
            // ScriptCalls on as Redis does, knowing no script's KEYS/ARGV order either
            .and()
            .doNotHaveFullyQualifiedName("io.forklift.redis.NodeTrips")
            // a claim queued behind a blocking wait on the same connection: a ScriptCall passed on likewise
            .and()
            .doNotHaveFullyQualifiedName("io.forklift.redis.WakeClaim")
            .should()
            .callMethodWhere(target(nameMatching("eval.*|scriptLoad|fcall.*"))
                    .and(target(owner(JavaClass.Predicates.resideInAPackage("redis.clients.jedis..")))))
            .because("only the typed script layer knows a script's KEYS/ARGV order");

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.forklift");

    @Test
    void workerAndCoordinatorStandOnCommonAndNeverOnEachOther() {
        LAYERS.check(PRODUCT);
    }

    @Test
    void nothingOutsideTheRedisLayerTouchesJedis() {
        JEDIS_STAYS_IN_THE_REDIS_LAYER.check(PRODUCT);
    }

    @Test
    void nothingButTheRedisConnectionEvaluatesAScript() {
        ONLY_REDIS_EVALUATES_SCRIPTS.check(PRODUCT);
    }

    @Test
    void theProductWasImportedWholeWithoutItsTests() {
        assertTrue(PRODUCT.contain("io.forklift.worker.Dispatcher"), "the worker's classes are checked");
        assertTrue(PRODUCT.contain("io.forklift.coordinator.Housekeeper"), "the coordinator's classes are checked");
        assertTrue(!PRODUCT.contain(ReachesIntoTheWorker.class.getName()), "fixtures are not product code");
    }

    @Test
    void eachRuleFailsWhenBroken() {
        JavaClasses fixtures = new ClassFileImporter()
                .importPackages(
                        "io.forklift.coordinator.archfixture",
                        "io.forklift.cli.architecture.fixture",
                        "io.forklift.worker");
        assertViolated(LAYERS, fixtures, "ReachesIntoTheWorker");
        assertViolated(JEDIS_STAYS_IN_THE_REDIS_LAYER, fixtures, "UsesJedisDirectly");
        assertViolated(ONLY_REDIS_EVALUATES_SCRIPTS, fixtures, "EvaluatesAScript");
    }

    private static void assertViolated(ArchRule rule, JavaClasses classes, String culprit) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), rule.getDescription() + " should catch " + culprit);
        assertTrue(
                result.getFailureReport().toString().contains(culprit),
                result.getFailureReport().toString());
    }
}
