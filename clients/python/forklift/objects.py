"""Manager objects: proxies calling POST /v1/managers/<m>/objects/<name>/<call>, with Python's names."""
import queue as _queue
import time
import urllib.parse
import uuid

from ._http import ForkliftError, _fenced, _Http

_CHUNK = 20.0  # longest single wait asked of the server; longer waits ask again


class _Proxy:
    kind = None  # the object's kind on the wire

    def __init__(self, http, manager, name):
        self._http, self.manager, self.name = http, manager, name
        self._path = "/v1/managers/%s/objects/%s" % (urllib.parse.quote(manager, safe=""),
                                                     urllib.parse.quote(name, safe=""))

    @property
    def ref(self):
        """What a Java task declaring a SharedQueue, SharedMap… argument receives as a live proxy."""
        return {"manager": self.manager, "name": self.name, "kind": self.kind}

    def _open(self, spec):
        return self._http.call("PUT", self._path, spec)[1]

    def _call(self, op, wait=0.0, **args):
        return self._http.call("POST", self._path + "/" + op, args, wait)[1]

    def _show(self):
        return self._http.call("GET", self._path)[1]

    def __repr__(self):
        return "<%s %s/%s>" % (type(self).__name__, self.manager, self.name)


def _fence(fence):
    """The body field of a fenced write: a lock's fence ({"lock": ..., "token": ...}), or nothing."""
    return {} if fence is None else {"fence": fence}


def _waits(block, timeout):
    """Chunks of one blocking call: yields the seconds to ask the server for, until time is up."""
    if not block:
        yield None
        return
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        left = _CHUNK if end is None else max(0.0, end - time.monotonic())
        yield min(left, _CHUNK)
        if end is not None and time.monotonic() >= end:
            return


class QueueProxy(_Proxy):
    kind = "queue"

    def put(self, obj, block=True, timeout=None):
        for w in _waits(block, timeout):
            try:
                if w is None:
                    return self._call("put_nowait", value=obj) and None
                return self._call("put", w, value=obj, timeout=w) and None
            except ForkliftError as e:
                if e.code != "full":
                    raise
        raise _queue.Full

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get(self, block=True, timeout=None):
        for w in _waits(block, timeout):
            try:
                if w is None:
                    return self._call("get_nowait")["value"]
                return self._call("get", w, timeout=w)["value"]
            except ForkliftError as e:
                if e.code != "empty":
                    raise
        raise _queue.Empty

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return self._call("qsize")["qsize"]

    def empty(self):
        return self._call("qsize")["empty"]

    def full(self):
        return self._call("qsize")["full"]


class JoinableQueueProxy(QueueProxy):
    kind = "joinable"

    def task_done(self):
        self._call("task_done")

    def join(self, timeout=None):
        for w in _waits(True, timeout):
            if self._call("join", w, timeout=w)["done"]:
                return True
        return False


class DictProxy(_Proxy):
    kind = "dict"

    def __getitem__(self, key):
        try:
            return self._call("get", key=key)["value"]
        except ForkliftError as e:
            if e.code == "no_key":
                raise KeyError(key) from None
            raise

    def __setitem__(self, key, value):
        self.set(key, value)

    def set(self, key, value, fence=None):
        """d[key] = value; with fence=lock.fence, refused (StaleFence) once the lock has a newer holder."""
        _fenced(lambda: self._call("set", key=key, value=value, **_fence(fence)))

    def __delitem__(self, key):
        self.pop(key)

    def __contains__(self, key):
        return self._call("contains", key=key)["contains"]

    def __len__(self):
        return self._call("len")["len"]

    def __iter__(self):
        return iter(self.keys())

    def get(self, key, default=None):
        return self._call("get", key=key, default=default)["value"]

    def pop(self, key, *default, fence=None):
        try:
            args = {"key": key, "default": default[0]} if default else {"key": key}
            return _fenced(lambda: self._call("pop", **args, **_fence(fence)))["value"]
        except ForkliftError as e:
            if e.code == "no_key":
                raise KeyError(key) from None
            raise

    def setdefault(self, key, default=None):
        return self._call("setdefault", key=key, value=default)["value"]

    def update(self, other=(), **kw):
        items = dict(other, **kw)
        if any(not isinstance(k, str) for k in items):
            for k, v in items.items():
                self[k] = v
        else:
            self._call("update", items=items)

    def items(self):
        return [tuple(p) for p in self._call("items")["items"]]

    def keys(self):
        return [k for k, _ in self.items()]

    def values(self):
        return [v for _, v in self.items()]

    def copy(self):
        return dict(self.items())

    def clear(self):
        self._call("clear")


class ListProxy(_Proxy):
    kind = "list"

    def __getitem__(self, i):
        return self._call("get", index=i)["value"]

    def __setitem__(self, i, v):
        self.set(i, v)

    def set(self, i, v, fence=None):
        """l[i] = v; with fence=lock.fence, refused (StaleFence) once the lock has a newer holder."""
        _fenced(lambda: self._call("set", index=i, value=v, **_fence(fence)))

    def __len__(self):
        return self._call("len")["len"]

    def __iter__(self):
        return iter(self._call("items")["items"])

    def append(self, v, fence=None):
        _fenced(lambda: self._call("append", value=v, **_fence(fence)))

    def extend(self, vs):
        self._call("extend", values=list(vs))

    def insert(self, i, v):
        self._call("insert", index=i, value=v)

    def pop(self, i=None):
        return self._call("pop", **({} if i is None else {"index": i}))["value"]

    def reverse(self):
        self._call("reverse")

    def tolist(self):
        return self._call("items")["items"]


class NamespaceProxy(_Proxy):
    kind = "namespace"

    def __getattr__(self, attr):
        if attr.startswith("_") or attr in ("manager", "name"):
            raise AttributeError(attr)
        try:
            return self._call("get", name=attr)["value"]
        except ForkliftError as e:
            if e.code == "no_attribute":
                raise AttributeError(attr) from None
            raise

    def __setattr__(self, attr, value):
        if attr.startswith("_") or attr in ("manager", "name"):
            object.__setattr__(self, attr, value)
        else:
            self._call("set", name=attr, value=value)

    def __delattr__(self, attr):
        self._call("delete", name=attr)


class ValueProxy(_Proxy):
    kind = "value"

    @property
    def value(self):
        return self._call("get")["value"]

    @value.setter
    def value(self, v):
        self.set(v)

    def set(self, v, fence=None):
        """v.value = x; with fence=lock.fence, refused (StaleFence) once the lock has a newer holder."""
        _fenced(lambda: self._call("set", value=v, **_fence(fence)))

    def add(self, delta, fence=None):
        """Adds atomically in Redis (v.value += 1 in Python is a read and a write); returns the new value."""
        return _fenced(lambda: self._call("add", delta=delta, **_fence(fence)))["value"]

    def compare_and_set(self, expect, update, fence=None):
        call = lambda: self._call("compare_and_set", expect=expect, update=update, **_fence(fence))  # noqa: E731
        return _fenced(call)["swapped"]


class ArrayProxy(_Proxy):
    kind = "array"

    def __getitem__(self, i):
        return self._call("get", index=i)["value"]

    def __setitem__(self, i, v):
        self._call("set", index=i, value=v)

    def __len__(self):
        return self._call("len")["len"]

    def tolist(self):
        return self._call("items")["items"]

    def add(self, i, delta):
        return self._call("add", index=i, delta=delta)["value"]


class EventProxy(_Proxy):
    kind = "event"

    def set(self):
        self._call("set")

    def clear(self):
        self._call("clear")

    def is_set(self):
        return self._call("is_set")["set"]

    def wait(self, timeout=None):
        for w in _waits(True, timeout):
            if self._call("wait", w, timeout=w)["set"]:
                return True
        return False
