package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KEYS.md and {@link Keys} describe the same key schema; queue keys share one hash tag. */
class KeySchemaTest {

    /** The first column of every data row of the table in KEYS.md, backticks removed. */
    static Set<String> documentedPatterns() throws IOException {
        String md;
        try (InputStream in = KeySchemaTest.class.getResourceAsStream("/io/forklift/lua/KEYS.md")) {
            assertNotNull(in, "/io/forklift/lua/KEYS.md is missing from the class path");
            md = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> patterns = new HashSet<>();
        boolean header = true;
        for (String line : md.split("\n")) {
            line = line.strip();
            if (!line.startsWith("|")) continue;
            String first = line.substring(1).split("\\|", -1)[0].strip();
            if (header) { // the header row, then the |---| separator row
                if (first.startsWith("-")) header = false;
                continue;
            }
            assertTrue(first.startsWith("`") && first.endsWith("`"), "pattern not in backticks: " + line);
            assertTrue(patterns.add(first.substring(1, first.length() - 1)), "pattern listed twice: " + first);
        }
        return patterns;
    }

    @Test
    void tableAndKeyBuilderListTheSamePatterns() throws IOException {
        Set<String> documented = documentedPatterns();
        assertTrue(documented.size() >= 10, "KEYS.md table looks empty: " + documented);
        assertEquals(
                Set.copyOf(KeyPatterns.all().values()),
                documented,
                "KEYS.md and KeyPatterns.all() disagree; update both together");
    }

    /** Every public key builder whose first parameter is the queue (found by reflection, so new keys are covered). */
    @Test
    void everyKeyOfOneQueueCarriesTheQueueHashTag() throws Exception {
        Keys k = new Keys("forklift:");
        String q = "orders.v2";
        List<String> keys = new ArrayList<>();
        for (Method m : Keys.class.getDeclaredMethods()) {
            Parameter[] params = m.getParameters();
            if (!Modifier.isPublic(m.getModifiers())
                    || Modifier.isStatic(m.getModifiers())
                    || m.getReturnType() != String.class
                    || params.length == 0
                    || !params[0].getName().equals("queue")) continue;
            Object[] args = new Object[params.length];
            args[0] = q;
            for (int i = 1; i < args.length; i++) args[i] = "x" + i;
            keys.add((String) m.invoke(k, args));
        }
        assertTrue(keys.size() >= 6, "too few queue keys found (compiled without -parameters?): " + keys);
        for (String key : keys) {
            assertTrue(key.startsWith("forklift:{" + q + "}:"), key);
            // exactly one '{': Redis Cluster hashes the first {...} only
            assertEquals(key.indexOf('{'), key.lastIndexOf('{'), key);
        }
        assertEquals(keys.size(), Set.copyOf(keys).size(), "two queue keys collide: " + keys);
        for (String pattern : KeyPatterns.all().values()) {
            assertTrue(
                    pattern.startsWith("{q}:")
                            || pattern.startsWith("{m:m/n}:")
                            || pattern.startsWith("{" + Keys.PROCESS_QUEUE + "}:")
                            || !pattern.contains("{"),
                    "stray brace in " + pattern);
        }
    }

    /** Every key of one shared object (found by reflection) carries the object's own hash tag. */
    @Test
    void everyKeyOfOneObjectCarriesTheObjectHashTag() throws Exception {
        ObjectKeys o = new Keys("forklift:").object("shop", "urls");
        List<String> keys = new ArrayList<>();
        for (Method m : ObjectKeys.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())
                    || m.getReturnType() != String.class
                    || m.getName().equals("toString")) continue;
            Object[] args = new Object[m.getParameterCount()];
            java.util.Arrays.fill(args, "x");
            keys.add((String) m.invoke(o, args));
        }
        keys.addAll(o.all());
        assertTrue(keys.size() >= 15, keys.toString());
        for (String key : keys) {
            assertTrue(key.startsWith("forklift:{m:shop/urls}:"), key);
            assertEquals(key.indexOf('{'), key.lastIndexOf('{'), key);
        }
        assertEquals(o.all().size(), Set.copyOf(o.all()).size(), "two object keys collide: " + o.all());
    }

    @Test
    void prefixWithBracesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Keys("a{b}:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a{b", "a}b", "{q}", "has space", "a:b", "tab\tq"})
    void badQueueNamesAreRejectedNamingTheRule(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keys.checkQueue(name));
        assertTrue(e.getMessage().contains("1-100 characters"), e.getMessage());
    }

    @Test
    void queueNameLengthLimitIs100() {
        assertEquals("q".repeat(100), Keys.checkQueue("q".repeat(100)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Keys.checkQueue("q".repeat(101)));
        assertTrue(e.getMessage().contains("1-100 characters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Keys.checkQueue(null));
    }

    @Test
    void goodQueueNamesPass() {
        for (String ok : List.of("default", "a", "Q-1_x.y")) assertEquals(ok, Keys.checkQueue(ok));
    }
}
