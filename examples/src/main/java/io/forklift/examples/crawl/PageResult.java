package io.forklift.examples.crawl;

import java.util.List;

/**
 * What {@link FetchPage} saw at one URL, sent back to the crawler as JSON.
 *
 * @param url          the URL asked for
 * @param status       the last HTTP status (a redirect's 3xx when the chain ended in a loop)
 * @param body         the body of a 200 text response, cut at {@link FetchPage#MAX_BODY_CHARS}; else null
 * @param truncated    whether the body was cut
 * @param redirects    the URLs that redirected, in order; empty when the first answer was final
 * @param redirectLoop whether the redirects came back to a URL already visited
 * @param elapsedMs    time spent fetching, redirects included
 * @param pid          the child process that fetched it
 * @param workerId     the worker daemon of that child
 */
public record PageResult(
        String url,
        int status,
        String body,
        boolean truncated,
        List<String> redirects,
        boolean redirectLoop,
        long elapsedMs,
        long pid,
        String workerId) {}
