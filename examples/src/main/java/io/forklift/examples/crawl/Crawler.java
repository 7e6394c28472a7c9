package io.forklift.examples.crawl;

import io.forklift.Exec;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.examples.ProgressBar;
import io.forklift.wire.Json;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The submitting side of the crawler demo. Pages are fetched by {@link FetchPage} in child processes
 * on the workers; the callbacks, in this program on its one callback thread, parse the links, keep
 * the URLs already seen in a set and submit the new ones. The crawl ends when no fetch is
 * outstanding. Only links to the start page's host and port are followed.
 *
 * <p>One crawl per instance: call {@link #crawl(Duration)} once.
 */
public final class Crawler {
    private final String execCommand;
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE);
    private static final int ERROR_SAMPLES = 5;

    private final Pool pool;
    private final URI root;
    private final PrintStream progressOut;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final CrawlLedger ledger = new CrawlLedger();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);

    // written on the callback thread only; read after `finished`, which orders the reads after the writes
    private long ok;
    private long links;
    private long notFound;
    private long serverErrors;
    private long redirectLoops;
    private long otherErrors;
    private long fetchMillis;
    private final List<String> errorSamples = new ArrayList<>();
    private final Map<String, Long> perWorker = new TreeMap<>();
    private final Map<Long, String> workerOfPid = new TreeMap<>();
    private final Map<Long, Long> perChild = new TreeMap<>();

    /**
     * @param progressOut where the progress bar goes (stderr, usually); null for none
     */
    public Crawler(Pool pool, URI root, PrintStream progressOut) {
        this(pool, root, progressOut, null);
    }

    /**
     * @param execCommand an allow-list entry with one placeholder, the URL (such as the Python fetcher's
     *                    {@code python3 fetch_page.py {url:REGEX}}), that fetches a page through an
     *                    {@link Exec} task instead of {@link FetchPage}; null for FetchPage
     */
    public Crawler(Pool pool, URI root, PrintStream progressOut, String execCommand) {
        this.pool = pool;
        this.root = root;
        this.progressOut = progressOut;
        this.execCommand = execCommand;
    }

    /** This crawl's record of submits and answers, readable while it runs. */
    public CrawlLedger ledger() {
        return ledger;
    }

    /** Crawls from the root until no fetch is outstanding; throws {@link TimeoutException} after {@code timeout}. */
    public CrawlSummary crawl(Duration timeout) throws InterruptedException, TimeoutException {
        long t0 = System.nanoTime();
        ProgressBar bar = progressOut == null ? null : new ProgressBar(progressOut, "pages", fetched::get, seen::size);
        try {
            outstanding
                    .incrementAndGet(); // held by this thread until the root is submitted, so the count cannot reach 0
            // early
            submit(root.toString());
            release();
            if (!finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException(
                        "the crawl of " + root + " did not finish within " + timeout + ": " + fetched.get() + " of "
                                + seen.size() + " pages fetched, " + outstanding.get() + " outstanding");
            }
        } finally {
            if (bar != null) bar.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new CrawlSummary(
                fetched.get(),
                ok,
                links,
                seen.size(),
                notFound,
                serverErrors,
                redirectLoops,
                otherErrors,
                List.copyOf(errorSamples),
                took,
                Map.copyOf(perWorker),
                Map.copyOf(workerOfPid),
                Map.copyOf(perChild),
                fetchMillis);
    }

    private void submit(String url) {
        if (!seen.add(url)) return;
        outstanding.incrementAndGet();
        try {
            if (execCommand == null) {
                pool.applyAsync(FetchPage.class, url, page -> onPage(url, page), error -> onError(url, error));
            } else {
                pool.applyAsync(
                        Exec.class,
                        Exec.Request.withArgs(execCommand, url),
                        page -> onPage(url, Json.MAPPER.convertValue(page, PageResult.class)),
                        error -> onError(url, error));
            }
            ledger.submitted(url);
        } catch (RuntimeException notSubmitted) {
            onError(url, notSubmitted);
        }
    }

    /** On the callback thread: count the page, follow its links. */
    private void onPage(String url, PageResult page) {
        try {
            ledger.answered(url);
            fetched.incrementAndGet();
            perWorker.merge(page.workerId(), 1L, Long::sum);
            perChild.merge(page.pid(), 1L, Long::sum);
            fetchMillis += page.elapsedMs();
            workerOfPid.put(page.pid(), page.workerId());
            if (page.redirectLoop()) {
                redirectLoops++;
            } else if (page.status() == 404) {
                notFound++;
            } else if (page.status() == 500) {
                serverErrors++;
            } else if (page.status() == 200) {
                ok++;
                if (page.body() != null) follow(URI.create(url), page.body());
            } else {
                other(url + ": HTTP " + page.status()
                        + (page.redirects().isEmpty()
                                ? ""
                                : " after " + page.redirects().size() + " redirects"));
            }
        } catch (RuntimeException e) {
            other(url + ": the callback failed: " + e);
        } finally {
            release();
        }
    }

    private void onError(String url, Throwable error) {
        try {
            ledger.answered(url);
            fetched.incrementAndGet();
            String what = error instanceof RemoteTaskException r
                    ? r.remoteType() + ": " + r.remoteMessage()
                    : error.toString();
            other(url + ": " + what);
        } finally {
            release();
        }
    }

    private void follow(URI base, String body) {
        Matcher m = HREF.matcher(body);
        while (m.find()) {
            links++;
            URI target;
            try {
                target = base.resolve(m.group(2).trim());
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            if (sameSite(target)) {
                submit(stripFragment(target).toString());
            }
        }
    }

    private boolean sameSite(URI target) {
        return ("http".equals(target.getScheme()) || "https".equals(target.getScheme()))
                && root.getScheme().equals(target.getScheme())
                && root.getAuthority().equals(target.getAuthority());
    }

    private static URI stripFragment(URI u) {
        if (u.getRawFragment() == null) return u;
        String s = u.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    private void other(String sample) {
        otherErrors++;
        if (errorSamples.size() < ERROR_SAMPLES) errorSamples.add(sample);
    }

    private void release() {
        if (outstanding.decrementAndGet() == 0) finished.countDown();
    }
}
