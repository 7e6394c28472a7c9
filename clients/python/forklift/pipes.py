"""Pipe(duplex) of a cluster: two Connections with multiprocessing's send/recv/poll/close.

Each end this program uses is held under a holder id the coordinator answered, and renewed by the
same daemon thread that renews lock holds (every third of the pipe's lease). A program that dies,
stops or is cut off stops renewing; its hold lapses within a lease and the other end reads EOF, as
when a Java holder dies. recv() on an end whose other end is closed (and drained) raises EOFError;
send() to a closed end raises BrokenPipeError. Values are JSON; send_bytes/recv_bytes carry bytes.

An end passed to a Java task (pool.apply_async(task, conn)) is bound there too; close this
program's copy once the task has its own, as with multiprocessing's file descriptors.
"""
import base64
import time

from ._http import ForkliftError
from .locks import _renewer
from .objects import _CHUNK, _Proxy

__all__ = ["Connection"]


class _PipeHold:
    """A hold as the shared renewer sees it: renewed by calling renew with this end's holder."""

    def __init__(self, conn, answer):
        self.conn, self.holder = conn, answer["holder"]
        self.period = answer["lease"] / 3.0
        self.due = time.monotonic() + self.period
        self.lost = False
        self.proxy, self.fence = self, None

    def _call(self, op, holder=None, fence=None):
        return self.conn._call(op, end=self.conn.end, holder=self.holder)


class Connection(_Proxy):
    """One end ('left' or 'right') of a pipe: multiprocessing.connection.Connection's names."""

    kind = "pipe"

    def __init__(self, http, manager, name, end):
        super().__init__(http, manager, name)
        self.end, self._hold = end, None

    @property
    def ref(self):
        """What a Java task declaring a Connection argument receives (and binds for itself)."""
        return {"manager": self.manager, "name": self.name, "kind": "pipe", "end": self.end}

    def _bind(self):
        self._hold = _PipeHold(self, self._call("bind", end=self.end))
        _renewer.add(self._hold)

    def _mine(self, op, wait=0.0, **args):
        if self._hold is None:
            raise OSError("handle is closed")
        if self._hold.lost:
            raise EOFError("%s/%s %s: this program's hold lapsed (not renewed within the lease)"
                           % (self.manager, self.name, self.end))
        try:
            return self._call(op, wait, end=self.end, holder=self._hold.holder, **args)
        except ForkliftError as e:
            if e.code == "eof":
                raise EOFError(_said(e)) from None
            if e.code == "broken_pipe":
                raise BrokenPipeError(_said(e)) from None
            if e.code == "lost":
                raise EOFError(_said(e)) from None
            raise

    def send(self, obj):
        self._mine("send", value=obj)

    def send_bytes(self, buf, offset=0, size=None):
        data = bytes(buf)[offset:None if size is None else offset + size]
        self._mine("send", bytes=base64.b64encode(data).decode("ascii"))

    def _recv(self):
        while True:  # no timeout, as Python's recv: ask again after each chunk
            try:
                return self._mine("recv", _CHUNK, timeout=_CHUNK)
            except ForkliftError as e:
                if e.code != "empty":
                    raise

    def recv(self):
        got = self._recv()
        return base64.b64decode(got["bytes"]) if "bytes" in got else got["value"]

    def recv_bytes(self, maxlength=None):
        got = self._recv()
        data = base64.b64decode(got["bytes"]) if "bytes" in got else _json_bytes(got["value"])
        if maxlength is not None and len(data) > maxlength:
            raise OSError("bad message length")
        return data

    def poll(self, timeout=0.0):
        """Whether there is anything to read (a message, or EOF); timeout None waits for one."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            left = _CHUNK if end is None else max(0.0, min(_CHUNK, end - time.monotonic()))
            if self._mine("poll", left, timeout=left)["ready"]:
                return True
            if end is not None and time.monotonic() >= end:
                return False

    def close(self):
        if self._hold is None:
            return
        hold, self._hold = self._hold, None
        _renewer.remove(hold)
        try:
            self._call("close", end=self.end, holder=hold.holder)
        except ForkliftError as e:
            if e.code not in ("lost", "no_object"):
                raise

    @property
    def closed(self):
        return self._hold is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<Connection %s/%s %s>" % (self.manager, self.name, self.end)


def _json_bytes(value):
    import json
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def _said(error):
    return error.body.get("message", str(error))
