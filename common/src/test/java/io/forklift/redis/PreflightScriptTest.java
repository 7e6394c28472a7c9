package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** preflight.lua runs every command any other script runs, so its permission check covers them all. */
class PreflightScriptTest {
    private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z_]+)'");

    @Test
    void preflightCallsEveryCommandTheScriptsCall() throws Exception {
        Map<String, String> scripts = ScriptHeaderTest.scripts();
        Set<String> used = new TreeSet<>();
        scripts.forEach((name, source) -> {
            // with its includes resolved: a command may sit in shared Lua
            if (!name.equals("preflight.lua"))
                used.addAll(commands(Script.load(name.replace(".lua", "")).source()));
        });
        assertTrue(used.size() > 10, "found the scripts' commands: " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(commands(scripts.get("preflight.lua")));
        assertEquals(Set.of(), missing, "commands the scripts run that preflight.lua does not check");
    }

    private static Set<String> commands(String source) {
        Set<String> found = new TreeSet<>();
        Matcher m = CALL.matcher(source);
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
