package io.forklift;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of a worker's {@code --exec-allow} list: the exact argv an {@link Exec} task may run,
 * split on whitespace (no quoting). A word is literal, or a placeholder that takes exactly one
 * argument from the request: {@code {name}} any argument that does not start with {@code -} (so it
 * cannot become an option), {@code {name:REGEX}} one that matches REGEX in full (a regex without
 * spaces: write {@code \s}). The program, the first word, is always literal. Nothing else is ever
 * added: {@code 'tar -cf out.tar data'} runs exactly that, and a request that brings arguments to
 * it is refused before anything runs. Parsed by the worker at start-up (a bad entry stops it) and by
 * each child before a run.
 */
public final class ExecEntry {
    private final String text;
    private final List<Word> words;

    private sealed interface Word permits Literal, Placeholder {}

    private record Literal(String value) implements Word {}

    private record Placeholder(String text, String name, Pattern pattern) implements Word {}

    private ExecEntry(String text, List<Word> words) {
        this.text = text;
        this.words = List.copyOf(words);
    }

    /** Parses an entry; throws {@link IllegalArgumentException} saying what to change. */
    public static ExecEntry parse(String text) {
        if (text == null || text.isBlank())
            throw new IllegalArgumentException("--exec-allow takes a command line, e.g. 'python3 /opt/crawl.py {url}'");
        List<Word> words = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (word.length() <= 2 || !word.startsWith("{") || !word.endsWith("}")) {
                words.add(new Literal(word));
                continue;
            }
            if (words.isEmpty())
                throw new IllegalArgumentException("--exec-allow '" + text + "': the program (the first word) must be "
                        + "literal, not the placeholder " + word);
            words.add(placeholder(text, word));
        }
        return new ExecEntry(text, words);
    }

    private static Placeholder placeholder(String entry, String word) {
        String inner = word.substring(1, word.length() - 1);
        int colon = inner.indexOf(':');
        String name = colon < 0 ? inner : inner.substring(0, colon);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("--exec-allow '" + entry + "': placeholder " + word
                    + " needs a name of letters, digits or '_', as {url} or {n:[0-9]+}");
        if (colon < 0) return new Placeholder(word, name, null);
        try {
            return new Placeholder(word, name, Pattern.compile(inner.substring(colon + 1)));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--exec-allow '" + entry + "': placeholder " + word
                    + " has an invalid regex: " + e.getDescription());
        }
    }

    /** The entry as the worker lists it; a request names it by this text. */
    public String text() {
        return text;
    }

    /** How many arguments a request must bring: one per placeholder. */
    public int placeholders() {
        return (int) words.stream().filter(Placeholder.class::isInstance).count();
    }

    /**
     * The argv to run: the literal words with each placeholder replaced by the next of {@code args}.
     * Throws {@link Exec.ExecRefusedException}, naming this entry and what did not match, unless there
     * is exactly one argument per placeholder and each fits its placeholder.
     */
    public List<String> argv(List<String> args) {
        List<String> given = args == null ? List.of() : args;
        if (given.size() != placeholders()) {
            throw refused(
                    placeholders() == 0
                            ? "it takes no arguments, and the request brought " + given.size() + ": " + quoted(given)
                            : "it takes " + placeholders() + " argument(s) " + placeholderList() + ", and the request "
                                    + "brought " + given.size() + ": " + quoted(given));
        }
        List<String> argv = new ArrayList<>(words.size());
        int next = 0;
        for (Word w : words) {
            if (w instanceof Literal l) {
                argv.add(l.value());
                continue;
            }
            Placeholder p = (Placeholder) w;
            String arg = given.get(next++);
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw refused("argument " + next + " for " + p.text() + " is null or holds a NUL character");
            }
            if (p.pattern() == null && arg.startsWith("-")) {
                throw refused("argument " + next + " '" + arg + "' for " + p.text()
                        + " starts with '-', which a {name} placeholder never takes (it could become an option); "
                        + "give the entry {" + p.name() + ":REGEX} to allow it");
            }
            if (p.pattern() != null && !p.pattern().matcher(arg).matches()) {
                throw refused("argument " + next + " '" + arg + "' does not match " + p.text());
            }
            argv.add(arg);
        }
        return argv;
    }

    private Exec.ExecRefusedException refused(String what) {
        return new Exec.ExecRefusedException(
                "exec refused by allow-list entry '" + text + "': " + what + "; nothing ran");
    }

    private String placeholderList() {
        return words.stream()
                .filter(Placeholder.class::isInstance)
                .map(w -> ((Placeholder) w).text())
                .toList()
                .toString();
    }

    private static String quoted(List<String> args) {
        List<String> shown = args.stream()
                .limit(5)
                .map(a -> "'" + (a != null && a.length() > 200 ? a.substring(0, 200) + "…" : a) + "'")
                .toList();
        return String.join(" ", shown) + (args.size() > 5 ? " …" : "");
    }

    @Override
    public String toString() {
        return text;
    }
}
