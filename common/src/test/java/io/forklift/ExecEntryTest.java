package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An allow-list entry decides the whole argv: literal words, and one argument per placeholder that fits it. */
class ExecEntryTest {

    @Test
    void anEntryWithoutPlaceholdersRunsExactlyItsWordsAndRefusesAnyArgument() {
        ExecEntry tar = ExecEntry.parse("tar -cf out.tar data");
        assertEquals(List.of("tar", "-cf", "out.tar", "data"), tar.argv(List.of()));
        Exec.ExecRefusedException e = assertThrows(
                Exec.ExecRefusedException.class,
                () -> tar.argv(List.of("--checkpoint=1", "--checkpoint-action=exec=sh -c \"id > pwned\"")));
        assertTrue(
                e.getMessage().contains("entry 'tar -cf out.tar data'")
                        && e.getMessage().contains("takes no arguments")
                        && e.getMessage().contains("'--checkpoint=1'")
                        && e.getMessage().contains("nothing ran"),
                e.getMessage());
    }

    @Test
    void aPlaceholderTakesExactlyOneArgumentThatIsNotAnOption() {
        ExecEntry fetch = ExecEntry.parse("python3 fetch_page.py {url}");
        assertEquals(
                List.of("python3", "fetch_page.py", "http://x/a b"),
                fetch.argv(List.of("http://x/a b")),
                "one argument, spaces and all");
        Exec.ExecRefusedException dash =
                assertThrows(Exec.ExecRefusedException.class, () -> fetch.argv(List.of("--help")));
        assertTrue(
                dash.getMessage().contains("'--help' for {url} starts with '-'")
                        && dash.getMessage().contains("entry 'python3 fetch_page.py {url}'"),
                dash.getMessage());
        Exec.ExecRefusedException two =
                assertThrows(Exec.ExecRefusedException.class, () -> fetch.argv(List.of("http://x/", "extra")));
        assertTrue(two.getMessage().contains("takes 1 argument(s) [{url}]"), two.getMessage());
        assertThrows(Exec.ExecRefusedException.class, () -> fetch.argv(List.of()));
        assertThrows(Exec.ExecRefusedException.class, () -> fetch.argv(List.of("a\0b")));
    }

    @Test
    void aRegexPlaceholderMustMatchInFull() {
        ExecEntry head = ExecEntry.parse("head -n {n:[0-9]{1,4}} {file:/data/[a-z]+\\.txt}");
        assertEquals(List.of("head", "-n", "20", "/data/log.txt"), head.argv(List.of("20", "/data/log.txt")));
        Exec.ExecRefusedException e = assertThrows(
                Exec.ExecRefusedException.class, () -> head.argv(List.of("20", "/data/log.txt; rm -rf /")));
        assertTrue(
                e.getMessage()
                        .contains("argument 2 '/data/log.txt; rm -rf /' does not match {file:/data/[a-z]+\\.txt}"),
                e.getMessage());
        assertThrows(Exec.ExecRefusedException.class, () -> head.argv(List.of("12345", "/data/log.txt")));
        assertEquals(
                List.of("x", "-v"), ExecEntry.parse("x {flag:-v|-q}").argv(List.of("-v")), "a regex may allow '-'");
    }

    @Test
    void badEntriesAreRefusedAtStartUpSayingWhatToChange() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecEntry.parse("{prog} x"))
                .getMessage()
                .contains("must be literal"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecEntry.parse("x {n:[0-9}"))
                .getMessage()
                .contains("invalid regex"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecEntry.parse("x {a-b}"))
                .getMessage()
                .contains("needs a name"));
        assertThrows(IllegalArgumentException.class, () -> ExecEntry.parse("  "));
        assertEquals(
                List.of("find", ".", "-exec", "ls", "{}", ";"),
                ExecEntry.parse("find . -exec ls {} ;").argv(List.of()),
                "{} is a literal word");
    }
}
