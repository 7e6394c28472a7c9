package io.forklift.examples.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.TaskContext;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The generated site knows its own totals: a plain single-threaded crawl with {@link FetchPage}, in
 * this JVM and without Redis, finds exactly what {@link DemoSite#expected()} says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class DemoSiteTest {
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
    private static final TaskContext HERE = new TaskContext() {
        public String taskId() {
            return "t";
        }

        public int attempt() {
            return 1;
        }

        public String queue() {
            return "crawl";
        }

        public String workerId() {
            return "test";
        }

        public long pid() {
            return ProcessHandle.current().pid();
        }
    };

    private DemoSite site;
    private final FetchPage fetch = new FetchPage();

    @BeforeAll
    void start() throws Exception {
        site = DemoSite.start(400, 7);
    }

    @AfterAll
    void stop() {
        if (site != null) site.close();
    }

    @Test
    void theSameSeedGivesTheSameSiteAndAnotherSeedAnother() throws Exception {
        try (DemoSite again = DemoSite.start(400, 7);
                DemoSite other = DemoSite.start(400, 8)) {
            assertEquals(site.expected(), again.expected());
            assertFalse(site.expected().equals(other.expected()), "seeds 7 and 8 gave the same totals");
        }
    }

    @Test
    void aPlainCrawlFindsExactlyTheExpectedTotals() throws Exception {
        DemoSite.Expected expected = site.expected();
        assertEquals(400, expected.pages(), "every page is reachable from the start page");
        assertTrue(
                expected.notFound() > 0
                        && expected.serverErrors() > 0
                        && expected.redirectLoops() > 0
                        && expected.slow() > 0,
                "a site of 400 pages has every kind of page: " + expected);

        Set<String> seen = new HashSet<>(List.of(site.root().toString()));
        Deque<String> todo = new ArrayDeque<>(seen);
        int ok = 0, notFound = 0, serverErrors = 0, loops = 0;
        long links = 0;
        while (!todo.isEmpty()) {
            String url = todo.poll();
            PageResult page = fetch.call(url, HERE);
            if (page.redirectLoop()) loops++;
            else if (page.status() == 404) notFound++;
            else if (page.status() == 500) serverErrors++;
            else if (page.status() == 200) {
                ok++;
                Matcher m = HREF.matcher(page.body());
                while (m.find()) {
                    links++;
                    URI target = URI.create(url).resolve(m.group(1));
                    if (target.getAuthority().equals(site.root().getAuthority()) && seen.add(target.toString()))
                        todo.add(target.toString());
                }
            }
        }
        assertEquals(
                expected,
                new DemoSite.Expected(seen.size(), ok, expected.slow(), notFound, serverErrors, loops, links));
    }

    @Test
    void fetchPageReportsARedirectLoopAsOne() throws Exception {
        int loop = site.firstOf(DemoSite.Kind.REDIRECT_LOOP);
        String url = site.root().resolve("/page/" + loop).toString();
        PageResult page = fetch.call(url, HERE);
        assertTrue(page.redirectLoop(), "not reported as a loop: " + page);
        assertEquals(302, page.status());
        assertEquals(List.of(url, site.root().resolve("/loop/" + loop).toString()), page.redirects());
        assertNull(page.body());
        assertEquals(ProcessHandle.current().pid(), page.pid());
    }

    @Test
    void fetchPageReturnsStatusAndBody() throws Exception {
        PageResult notFound = fetch.call(
                site.root()
                        .resolve("/page/" + site.firstOf(DemoSite.Kind.NOT_FOUND))
                        .toString(),
                HERE);
        assertEquals(404, notFound.status());
        assertNull(notFound.body());
        PageResult error = fetch.call(
                site.root()
                        .resolve("/page/" + site.firstOf(DemoSite.Kind.SERVER_ERROR))
                        .toString(),
                HERE);
        assertEquals(500, error.status());
        PageResult slow = fetch.call(
                site.root().resolve("/page/" + site.firstOf(DemoSite.Kind.SLOW)).toString(), HERE);
        assertEquals(200, slow.status());
        assertTrue(slow.elapsedMs() >= 20, "a slow page took only " + slow.elapsedMs() + " ms");
        PageResult root = fetch.call(site.root().toString(), HERE);
        assertNotNull(root.body());
        assertTrue(root.body().contains("href=\"/page/"), root.body());
        assertFalse(root.redirectLoop());
    }
}
