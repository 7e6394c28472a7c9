"""Pool(url, authkey, queue): tasks submitted over HTTP, results and callbacks in this program."""
import threading
import time

from ._http import RemoteError, _Http


class AsyncResult:
    """multiprocessing's AsyncResult: get(timeout), wait(timeout), ready(), successful()."""

    def __init__(self, pool, callback, error_callback):
        self._pool, self._callback, self._error_callback = pool, callback, error_callback
        self._done = threading.Event()
        self._ok, self._value, self.id = None, None, None

    def _set(self, reply):
        self._ok = bool(reply.get("ok"))
        self._value = reply.get("result") if self._ok else RemoteError(reply.get("error"))
        try:
            if self._ok and self._callback:
                self._callback(self._value)
            elif not self._ok and self._error_callback:
                self._error_callback(self._value)
        finally:
            self._done.set()

    def ready(self):
        return self._done.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError("%s is not ready" % self.id)
        return self._ok

    def wait(self, timeout=None):
        self._done.wait(timeout)

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("task %s: no result within %s s" % (self.id, timeout))
        if not self._ok:
            raise self._value
        return self._value


class Pool:
    """Tasks go to `queue`, where Java workers run them by task name; results come back by long poll
    and callbacks run on this pool's result thread. Use one Pool per program: the results of its
    client id are taken by whoever polls them."""

    def __init__(self, url, authkey=None, token=None, queue="default"):
        self._http, self.queue = _Http(url, authkey, token), queue
        me = self._http.call("GET", "/v1/whoami")[1]
        self.client = me.get("client") or self._http.call("POST", "/v1/clients")[1]["client"]
        self._http.client = self.client
        self._pending, self._lock = {}, threading.Lock()
        self._closed = self._stopped = False
        self._listener = threading.Thread(target=self._listen, name="forklift-results", daemon=True)
        self._listener.start()

    def apply_async(self, task, arg=None, callback=None, error_callback=None, timeout_ms=None):
        return self._submit([(task, arg, timeout_ms)], callback, error_callback)[0]

    def apply(self, task, arg=None):
        return self.apply_async(task, arg).get()

    def map_async(self, task, iterable, callback=None, error_callback=None):
        """One result per argument, in order; batches of up to 1,000 per request."""
        args = list(iterable)
        results = []
        for i in range(0, len(args), 1000):
            results += self._submit([(task, a, None) for a in args[i:i + 1000]], None, error_callback)
        return _MapResult(results, callback)

    def map(self, task, iterable):
        return self.map_async(task, iterable).get()

    def _submit(self, tasks, callback, error_callback):
        if self._closed:
            raise ValueError("Pool not running")
        body = [{"task": t, "arg": a, **({"timeoutMs": ms} if ms else {})} for t, a, ms in tasks]
        results = [AsyncResult(self, callback, error_callback) for _ in tasks]
        with self._lock:  # hold replies that race the answer until the ids are known
            if len(body) == 1:
                ids = [self._http.call("POST", "/v1/queues/%s/tasks" % self.queue, body[0])[1]["id"]]
            else:
                ids = self._http.call("POST", "/v1/queues/%s/batch" % self.queue, {"tasks": body})[1]["ids"]
            for i, r in zip(ids, results):
                r.id = i
                self._pending[i] = r
        return results

    def _listen(self):
        path = "/v1/results?queues=%s&wait=20&max=1000" % self.queue
        while not self._stopped:
            try:
                replies = self._http.call("GET", path, wait=20)[1]["results"]
            except Exception:  # the coordinator restarts or is away: ask again shortly
                time.sleep(1)
                continue
            for reply in replies:
                with self._lock:
                    r = self._pending.pop(reply["id"], None)
                if r is not None:
                    r._set(reply)

    def close(self):
        self._closed = True

    def join(self, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                left = list(self._pending.values())
            if not left:
                return
            left[0].wait(None if end is None else max(0, end - time.monotonic()))
            if end is not None and time.monotonic() >= end:
                return

    def terminate(self):
        self._closed = self._stopped = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.terminate()


class _MapResult:
    def __init__(self, results, callback):
        self._results, self._callback = results, callback

    def get(self, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        values = [r.get(None if end is None else max(0, end - time.monotonic())) for r in self._results]
        if self._callback:
            self._callback(values)
        return values

    def ready(self):
        return all(r.ready() for r in self._results)
