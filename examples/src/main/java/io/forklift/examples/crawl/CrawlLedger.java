package io.forklift.examples.crawl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crawler's own record of its fetches, kept outside Forklift: each URL whose submit Forklift
 * accepted, and each answer (callback or error callback) it got. After a fault, "nothing lost"
 * reads: every submitted URL answered, none answered twice. Thread-safe.
 */
public final class CrawlLedger {
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();

    /** Forklift accepted the submit of {@code url} ({@code applyAsync} returned). */
    void submitted(String url) {
        answers.putIfAbsent(url, new AtomicInteger());
        submitted.incrementAndGet();
    }

    /** A callback or an error callback for {@code url} ran. */
    void answered(String url) {
        answers.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
        answered.incrementAndGet();
    }

    public long submitted() {
        return submitted.get();
    }

    public long answered() {
        return answered.get();
    }

    /** Submitted and not answered (yet). */
    public long unanswered() {
        return answers.values().stream().filter(n -> n.get() == 0).count();
    }

    /** URLs answered more than once: duplicate callbacks. */
    public long answeredTwice() {
        return answers.values().stream().filter(n -> n.get() > 1).count();
    }

    @Override
    public String toString() {
        return "submitted " + submitted() + ", answered " + answered() + ", unanswered " + unanswered()
                + ", answered twice " + answeredTwice();
    }
}
