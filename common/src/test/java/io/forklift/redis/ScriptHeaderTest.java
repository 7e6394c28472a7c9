package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Lua transition opens with a header (file name, KEYS, ARGV, Returns) that matches its body. */
class ScriptHeaderTest {
    private static final Pattern KEY_USE = Pattern.compile("KEYS\\[(\\d+)]");
    private static final Pattern KEY_DOC = Pattern.compile("(?m)^KEYS\\[(\\d+)]\\s+\\S");
    private static final Pattern ARGV_DOC = Pattern.compile("(?m)^ARGV\\[\\d+(?:…|\\.\\.\\.)?]\\s+\\S");

    /** name -> source of every *.lua file in /io/forklift/lua on the class path. */
    static Map<String, String> scripts() throws Exception {
        URL dir = ScriptHeaderTest.class.getResource("/io/forklift/lua/");
        assertNotNull(dir, "/io/forklift/lua/ is missing from the class path");
        URI uri = dir.toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                return read(fs.provider().getPath(uri));
            }
        }
        return read(Path.of(uri));
    }

    private static Map<String, String> read(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".lua"))
                    .toList()) {
                out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void everyScriptHasACompleteHeader() throws Exception {
        Map<String, String> scripts = scripts();
        assertTrue(
                scripts.keySet().containsAll(Set.of("submit.lua", "claim.lua", "complete.lua", "revoke.lua")),
                scripts.keySet().toString());
        List<String> problems = new ArrayList<>();
        scripts.forEach((name, src) -> problems.addAll(headerProblems(name, src)));
        assertEquals(List.of(), problems);
    }

    @Test
    void headerCheckCatchesAnUndocumentedKey() {
        String src =
                "#!lua\n--[[\nx.lua — x\n\nKEYS[1]  a\nARGV[1]  b\n\nReturns: 0\n]]\nreturn redis.call('GET', KEYS[2])\n";
        assertEquals(List.of("x.lua uses KEYS[2] but its header does not document it"), headerProblems("x.lua", src));
    }

    static List<String> headerProblems(String name, String src) {
        List<String> problems = new ArrayList<>();
        if (!src.startsWith("#!lua\n")) problems.add(name + " does not start with #!lua");
        int open = src.indexOf("--[[");
        int close = src.indexOf("]]", Math.max(open, 0));
        if (open < 0 || close < 0 || !src.substring(0, open).strip().equals("#!lua")) {
            problems.add(name + " has no --[[ ... ]] header comment right after #!lua");
            return problems;
        }
        String header = src.substring(open + 4, close);
        String body = src.substring(close + 2);
        if (!header.strip().startsWith(name)) problems.add(name + " header does not open with the file name");
        if (!header.contains("\nReturns:")) problems.add(name + " header has no Returns: line");
        if (!ARGV_DOC.matcher(header).find()) problems.add(name + " header lists no ARGV[n]");
        Set<Integer> documented = numbers(KEY_DOC.matcher(header));
        Set<Integer> used = numbers(KEY_USE.matcher(body));
        if (documented.isEmpty()) problems.add(name + " header lists no KEYS[n]");
        for (int n : used) {
            if (!documented.contains(n))
                problems.add(name + " uses KEYS[" + n + "] but its header does not document it");
        }
        return problems;
    }

    private static Set<Integer> numbers(Matcher m) {
        Set<Integer> out = new TreeSet<>();
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    @Test
    void registeredScriptsCarryTheSha1OfTheirResolvedSource() throws Exception {
        Map<String, String> scripts = scripts();
        for (Script s : List.of(Script.SUBMIT, Script.CLAIM, Script.COMPLETE, Script.REVOKE, Script.RELEASE)) {
            assertTrue(s.sha().matches("[0-9a-f]{40}"), s.name() + ": " + s.sha());
            assertTrue(scripts.containsKey(s.name() + ".lua"), s.name());
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(s.source().getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(digest), s.sha(), s.name());
        }
        assertFalse(Script.SUBMIT.sha().equals(Script.CLAIM.sha()));
    }

    @Test
    void includesAreResolvedOnceEach() throws Exception {
        for (String file : scripts().keySet()) {
            String source = Script.load(file.replace(".lua", "")).source();
            assertFalse(source.contains("--@include"), file + " keeps an unresolved include");
        }
        String claim = Script.CLAIM.source();
        assertTrue(claim.contains("local function giveBack("), "claim.lua has give_back.lua's function");
        assertTrue(Script.RELEASE.source().contains("local function giveBack("), "release.lua shares it");
    }

    @Test
    void everyForkliftExceptionAScriptNamesIsAClassUsersCanCatch() throws Exception {
        Pattern named = Pattern.compile("'(io\\.forklift\\.[A-Za-z.]+Exception)'");
        Set<String> found = new TreeSet<>();
        for (String file : scripts().keySet()) {
            Matcher m = named.matcher(Script.load(file.replace(".lua", "")).source());
            while (m.find()) found.add(m.group(1));
        }
        assertTrue(
                found.containsAll(Set.of("io.forklift.InvalidTaskException", "io.forklift.LeaseExpiredException")),
                found.toString());
        for (String name : found) {
            Class<?> type = Class.forName(name);
            assertTrue(io.forklift.RemoteTaskException.class.isAssignableFrom(type), name);
            assertEquals(
                    type,
                    io.forklift.RemoteTaskException.of("t", io.forklift.wire.RemoteError.of(name, "m"))
                            .getClass(),
                    name + " arrives as its own class");
        }
    }
}
