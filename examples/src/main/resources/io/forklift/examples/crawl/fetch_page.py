#!/usr/bin/env python3
"""The crawler demo's page fetcher in Python (standard library only), run through Forklift's
exec task: takes the URL as its one argument (allow-listed as `fetch_page.py {url:REGEX}`), or
reads {"url": ...} as JSON on stdin without one; writes the PageResult JSON on stdout."""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MAX_BODY = 256 * 1024
MAX_REDIRECTS = 5


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # redirects are followed by hand, so a loop is seen as one


def fetch(url):
    opener = urllib.request.build_opener(NoRedirect)
    started = time.monotonic()
    seen, redirects, current = {url}, [], url
    while True:
        try:
            with opener.open(current, timeout=15) as response:
                status, body = response.status, response.read(MAX_BODY + 1)
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read(MAX_BODY + 1)
            location = e.headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                current = urllib.parse.urljoin(current, location)
                redirects.append(current)
                if current in seen or len(redirects) > MAX_REDIRECTS:
                    return result(url, status, b"", redirects, True, started)
                seen.add(current)
                continue
        return result(url, status, body, redirects, False, started)


def result(url, status, body, redirects, loop, started):
    return {
        "url": url, "status": status, "body": body[:MAX_BODY].decode("utf-8", "replace"),
        "truncated": len(body) > MAX_BODY, "redirects": redirects, "redirectLoop": loop,
        "elapsedMs": int((time.monotonic() - started) * 1000), "pid": os.getppid(), "workerId": os.environ.get("FORKLIFT_WORKER", "?"),
    }


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else json.load(sys.stdin)["url"]
    json.dump(fetch(url), sys.stdout)
