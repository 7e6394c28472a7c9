"""Process(url, authkey, target, args): multiprocessing.Process, run by a worker of the cluster.

    p = Process(url, authkey=key, target="io.forklift.examples.seeds.Hello", args=("bob",))
    p.start()
    p.join()          # its lines have been printed here, prefixed "(Process-1 pid=… host=…)"
    p.exitcode        # 0 returned, 1 threw (see p.error), -15 terminated, -9 killed

The target is a task registered on the workers, by name (Java code; nothing of this program is
sent). It runs in a fresh JVM of its own. Daemonic Processes cannot be started over HTTP: a daemon
ends with its starter's liveness lease, which an HTTP client does not hold.
"""
import itertools
import sys
import threading
import time

from ._http import _Http

_numbers = itertools.count(1)
_WAIT = 20  # seconds per long poll, under the coordinator's --http-max-wait default
_SETTLE = 2  # seconds join waits, after the end, for the last lines to arrive (as the Java client)


def _print(stream, line):
    print(line, file=sys.stderr if stream == "stderr" else sys.stdout, flush=True)


class Process:
    """multiprocessing's Process: start(), join(timeout), is_alive(), exitcode, pid, name,
    terminate(), kill(). `output` gets each printed line (its text); by default stdout lines go to
    sys.stdout and stderr lines to sys.stderr. `args` are the task's one argument: () is null,
    (x,) is x, several travel as one JSON array."""

    def __init__(self, url, authkey=None, token=None, target=None, args=(), name=None, daemon=False,
                 output=None, timeout_ms=None):
        if not isinstance(target, str) or not target:
            raise TypeError("target must be the name of a task registered on the workers, got %r" % (target,))
        self._http, self._target, self._args = _Http(url, authkey, token), target, tuple(args)
        number = next(_numbers)  # every Process takes a number, named or not, as in multiprocessing
        self.name = name or "Process-%d" % number
        self.daemon, self._timeout_ms = daemon, timeout_ms
        self._output = (lambda stream, line: output(line)) if output else _print
        self.id, self._state, self._reader = None, {}, None
        self._ended = threading.Event()  # the Process has ended: the reader stops once lines run dry
        self._lines_done = threading.Event()

    def start(self):
        if self.id is not None:
            raise AssertionError("cannot start a process twice")
        me = self._http.call("GET", "/v1/whoami")[1]
        self._http.client = me.get("client") or self._http.call("POST", "/v1/clients")[1]["client"]
        arg = None if not self._args else self._args[0] if len(self._args) == 1 else list(self._args)
        body = {"task": self._target, "arg": arg, "name": self.name, "daemon": bool(self.daemon)}
        if self._timeout_ms is not None:
            body["timeoutMs"] = self._timeout_ms
        self._state = self._http.call("POST", "/v1/processes", body)[1]
        self.id = self._state["id"]
        self._reader = threading.Thread(target=self._read, name="forklift-process-lines", daemon=True)
        self._reader.start()

    def join(self, timeout=None):
        """Waits until it ends, or `timeout` seconds pass; returns None as Python's does."""
        self._check_started("join")
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._state.get("exitCode") is None:
            left = _WAIT if deadline is None else min(_WAIT, deadline - time.monotonic())
            if left <= 0:
                return
            self._state = self._get("/join?timeout=%.3f" % left, wait=left)
        self._ended.set()
        settle = _SETTLE if deadline is None else max(0, min(_SETTLE, deadline - time.monotonic()))
        self._lines_done.wait(settle)

    def is_alive(self):
        return self.id is not None and self.exitcode is None

    @property
    def exitcode(self):
        """None until it ends; 0 returned, 1 threw, -N ended by signal N."""
        return self._fresh().get("exitCode")

    @property
    def pid(self):
        """The OS pid of the JVM that runs it; None until a worker has taken it."""
        return self._fresh().get("pid")

    ident = pid

    @property
    def host(self):
        return self._fresh().get("host")

    @property
    def error(self):
        """Why it failed (the remote exception and its stack, or what ended it); None otherwise."""
        return self._fresh().get("error")

    def terminate(self):
        """SIGTERM to its process tree (SIGKILL after the worker's grace); it ends with -15."""
        self._signal("terminate")

    def kill(self):
        """SIGKILL to its process tree; it ends with -9."""
        self._signal("kill")

    def _signal(self, op):
        self._check_started(op)
        self._http.call("POST", "/v1/processes/%s/%s" % (self.id, op))

    def _fresh(self):
        if self.id is not None and self._state.get("exitCode") is None:
            self._state = self._get("")
        return self._state

    def _get(self, path, wait=0.0):
        return self._http.call("GET", "/v1/processes/%s%s" % (self.id, path), wait=wait)[1]

    def _check_started(self, what):
        if self.id is None:
            raise AssertionError("can only %s a started process" % what)

    def _read(self):
        """The reader thread: each line, in order, to `output`; stops at its last line."""
        after = "0-0"
        try:
            while True:
                wait = 1 if self._ended.is_set() else _WAIT
                got = self._get("/lines?after=%s&wait=%d" % (after, wait), wait=wait)
                after = got["next"]
                for line in got["lines"]:
                    self._output(line["stream"], line["text"])
                # a Process no child ran (an unknown task) prints nothing, not even its end
                if got["ended"] or (self._ended.is_set() and not got["lines"]):
                    return
        except Exception as e:  # the thread must not die silently: say why the lines stopped
            print("forklift: stopped reading the lines of %s: %s" % (self.name, e), file=sys.stderr)
        finally:
            self._lines_done.set()

    def __repr__(self):
        if self.id is None:
            state = "initial"
        else:
            code = self._state.get("exitCode")
            state = "started" if code is None else "stopped exitcode=%s" % code
        return "<Process name=%r %s%s>" % (self.name, state, " daemon" if self.daemon else "")
