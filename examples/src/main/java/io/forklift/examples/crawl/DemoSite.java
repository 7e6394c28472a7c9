package io.forklift.examples.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generated website on loopback for the crawler demo: {@code pages} pages {@code /page/0} …
 * {@code /page/N-1}, the same for the same seed. Page 0 is the start page. Every page is reachable
 * from it: each page after the first is linked from an earlier page that has links, and pages that
 * have links link to several more at random (duplicates and an off-site link included, as on a real
 * site). About 10 % of the pages are slow (20–80 ms), 3 % answer 404, 2 % answer 500 and 0.5 %
 * redirect in a loop ({@code /page/k → /loop/k → /page/k}).
 *
 * <p>{@link #expected()} gives the exact totals a complete crawl from {@link #root()} must find,
 * computed from the generated graph rather than from a crawl. {@link #close()} stops the server.
 * {@link Serving} sets where it listens (workers in containers or network namespaces cannot reach
 * this machine's loopback) and a delay that every response waits, as a distant or slow site would.
 */
public final class DemoSite implements AutoCloseable {
    public static final int DEFAULT_PAGES = 2_000;
    public static final long DEFAULT_SEED = 42;
    /** A link every tenth page carries, which a crawler must not follow. */
    static final String OFF_SITE_LINK = "https://example.invalid/elsewhere";

    /** What a page answers. */
    public enum Kind {
        OK,
        SLOW,
        NOT_FOUND,
        SERVER_ERROR,
        REDIRECT_LOOP
    }

    /**
     * The totals of a complete crawl from the start page.
     *
     * @param pages         distinct pages reachable from the start page (each fetched once)
     * @param ok            of those, pages that answer 200 (slow ones included)
     * @param slow          of the 200s, the slow ones
     * @param notFound      pages that answer 404
     * @param serverErrors  pages that answer 500
     * @param redirectLoops pages that redirect in a loop
     * @param links         {@code href}s on the reachable 200 pages, duplicates and off-site links included
     */
    public record Expected(
            int pages, int ok, int slow, int notFound, int serverErrors, int redirectLoops, long links) {}

    /**
     * How the site serves.
     *
     * @param address   the address it listens on, which {@link #root()} names
     * @param everyPage how long every response waits before it is sent (a slow page waits its own delay too)
     */
    public record Serving(InetAddress address, Duration everyPage) {
        public Serving {
            if (everyPage.isNegative()) throw new IllegalArgumentException("a negative delay: " + everyPage);
        }

        /** On loopback, without a delay: the {@code forklift local} demo. */
        public static Serving loopback() {
            return new Serving(InetAddress.getLoopbackAddress(), Duration.ZERO);
        }
    }

    private final Kind[] kinds;
    private final int[][] links;
    private final int[] delayMs;
    private final Duration everyPage;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicLong requests = new AtomicLong();

    private DemoSite(Kind[] kinds, int[][] links, int[] delayMs, Serving serving) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed
        // ACK, and every response waits ~40 ms. Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.kinds = kinds;
        this.links = links;
        this.delayMs = delayMs;
        this.everyPage = serving.everyPage();
        this.server = HttpServer.create(new InetSocketAddress(serving.address(), 0), 256);
        // enough threads that requests waiting out a delay do not queue behind each other
        this.handlers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "demo-site");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
    }

    /** Generates the site of {@code pages} pages from {@code seed} and serves it on a free loopback port. */
    public static DemoSite start(int pages, long seed) throws IOException {
        return start(pages, seed, Serving.loopback());
    }

    /** As {@link #start(int, long)}, served as {@code serving} says. */
    public static DemoSite start(int pages, long seed, Serving serving) throws IOException {
        if (pages < 1) throw new IllegalArgumentException("a site needs at least 1 page, got " + pages);
        Random random = new Random(seed);
        Kind[] kinds = new Kind[pages];
        int[] delay = new int[pages];
        kinds[0] = Kind.OK;
        for (int i = 1; i < pages; i++) {
            int r = random.nextInt(1000);
            kinds[i] = r < 30
                    ? Kind.NOT_FOUND
                    : r < 50 ? Kind.SERVER_ERROR : r < 55 ? Kind.REDIRECT_LOOP : r < 155 ? Kind.SLOW : Kind.OK;
            if (kinds[i] == Kind.SLOW) delay[i] = 20 + random.nextInt(61);
        }
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> linkBearing = new ArrayList<>();
        for (int i = 0; i < pages; i++) out.add(new ArrayList<>());
        for (int i = 0; i < pages; i++) {
            // every page hangs off an earlier page with links, so the whole site is reachable from page 0
            if (i > 0)
                out.get(linkBearing.get(random.nextInt(linkBearing.size()))).add(i);
            if (hasLinks(kinds[i])) linkBearing.add(i);
        }
        for (int page : linkBearing) {
            int extra = 2 + random.nextInt(5);
            for (int k = 0; k < extra; k++) out.get(page).add(random.nextInt(pages));
            if (page % 10 == 0) out.get(page).add(-1); // the off-site link
        }
        int[][] links = new int[pages][];
        for (int i = 0; i < pages; i++) {
            links[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        DemoSite site = new DemoSite(kinds, links, delay, serving);
        site.server.start();
        return site;
    }

    /** The start page. */
    public URI root() {
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/page/0");
    }

    public int pages() {
        return kinds.length;
    }

    /** Requests served so far (redirect hops count one each). */
    public long requests() {
        return requests.get();
    }

    /** A breadth-first walk of the generated link graph from page 0: what a complete crawl must count. */
    public Expected expected() {
        boolean[] seen = new boolean[kinds.length];
        Deque<Integer> queue = new ArrayDeque<>(List.of(0));
        seen[0] = true;
        int[] byKind = new int[Kind.values().length];
        int reached = 0;
        long hrefs = 0;
        while (!queue.isEmpty()) {
            int page = queue.poll();
            reached++;
            byKind[kinds[page].ordinal()]++;
            if (!hasLinks(kinds[page])) continue;
            hrefs += links[page].length;
            for (int target : links[page]) {
                if (target >= 0 && !seen[target]) {
                    seen[target] = true;
                    queue.add(target);
                }
            }
        }
        int slow = byKind[Kind.SLOW.ordinal()];
        return new Expected(
                reached,
                byKind[Kind.OK.ordinal()] + slow,
                slow,
                byKind[Kind.NOT_FOUND.ordinal()],
                byKind[Kind.SERVER_ERROR.ordinal()],
                byKind[Kind.REDIRECT_LOOP.ordinal()],
                hrefs);
    }

    /** The kind of page {@code i}, for tests. */
    public Kind kind(int page) {
        return kinds[page];
    }

    /** The first page of the given kind, or -1. */
    public int firstOf(Kind kind) {
        return Arrays.asList(kinds).indexOf(kind);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasLinks(Kind kind) {
        return kind == Kind.OK || kind == Kind.SLOW;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!everyPage.isZero()) sleep((int) everyPage.toMillis());
            String path = exchange.getRequestURI().getPath();
            int page = pageNumber(path, "/page/");
            int loop = pageNumber(path, "/loop/");
            if (loop >= 0 && kinds[loop] == Kind.REDIRECT_LOOP) {
                DemoPages.redirect(exchange, "/page/" + loop);
            } else if (page < 0) {
                DemoPages.send(exchange, 404, "<h1>Not Found</h1>");
            } else {
                switch (kinds[page]) {
                    case NOT_FOUND -> DemoPages.send(exchange, 404, "<h1>Not Found</h1>");
                    case SERVER_ERROR -> DemoPages.send(exchange, 500, "<h1>Internal Server Error</h1>");
                    case REDIRECT_LOOP -> DemoPages.redirect(exchange, "/loop/" + page);
                    case SLOW -> {
                        sleep(delayMs[page]);
                        DemoPages.send(exchange, 200, DemoPages.html(page, kinds.length, links[page]));
                    }
                    case OK -> DemoPages.send(exchange, 200, DemoPages.html(page, kinds.length, links[page]));
                }
            }
        }
    }

    /** The page number in {@code /page/17}, or -1 when the path is not of that form or out of range. */
    private int pageNumber(String path, String prefix) {
        if (!path.startsWith(prefix)) return -1;
        try {
            int n = Integer.parseInt(path.substring(prefix.length()));
            return n >= 0 && n < kinds.length ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms); // the page's simulated slowness
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
