"""Manager(url, authkey): multiprocessing.Manager() of a Forklift cluster."""
import urllib.parse
import uuid

from ._http import _Http
from .locks import (BarrierProxy, BoundedSemaphoreProxy, ConditionProxy, LockProxy, RLockProxy,
                    SemaphoreProxy)
from .pipes import Connection
from .objects import (ArrayProxy, DictProxy, EventProxy, JoinableQueueProxy, ListProxy, NamespaceProxy,
                      QueueProxy, ValueProxy)


class Manager:
    """multiprocessing.Manager() of a Forklift cluster: named shared objects in its manager `name`."""

    def __init__(self, url, authkey=None, token=None, name="default"):
        self._http, self.name = _Http(url, authkey, token), name

    def _make(self, cls, name, spec):
        p = cls(self._http, self.name, name or "py-" + uuid.uuid4().hex[:12])
        p._open(spec)
        return p

    def Queue(self, maxsize=0, name=None):
        return self._make(QueueProxy, name, {"kind": "queue", "maxsize": maxsize})

    def JoinableQueue(self, maxsize=0, name=None):
        return self._make(JoinableQueueProxy, name, {"kind": "joinable", "maxsize": maxsize})

    def dict(self, name=None):
        return self._make(DictProxy, name, {"kind": "dict"})

    def list(self, initial=(), name=None):
        return self._make(ListProxy, name, {"kind": "list", "initial": list(initial)})

    def Namespace(self, name=None):
        return self._make(NamespaceProxy, name, {"kind": "namespace"})

    def Value(self, typecode, value, name=None):
        return self._make(ValueProxy, name, {"kind": "value", "initial": value})

    def Array(self, typecode, size, name=None):
        return self._make(ArrayProxy, name, {"kind": "array", "typecode": typecode, "size": size})

    def Event(self, name=None):
        return self._make(EventProxy, name, {"kind": "event"})

    def Lock(self, name=None, lease=None):
        """A lock; lease: seconds a hold outlives its holder (default 6); renewed here while held."""
        return self._make(LockProxy, name, _spec("lock", lease=lease))

    def RLock(self, name=None, lease=None):
        return self._make(RLockProxy, name, _spec("rlock", lease=lease))

    def Semaphore(self, value=1, name=None):
        return self._make(SemaphoreProxy, name, {"kind": "semaphore", "value": value})

    def BoundedSemaphore(self, value=1, name=None):
        return self._make(BoundedSemaphoreProxy, name, {"kind": "bounded_semaphore", "value": value})

    def Condition(self, lock=None, name="default"):
        """A condition of lock (a Lock or RLock of this manager; a new RLock when None), named so others share it."""
        return ConditionProxy(self.RLock() if lock is None else lock, name)

    def Barrier(self, parties, action=None, timeout=None, name=None):
        if action is not None:  # Python runs it in one waiting thread before any passes: no such thread here
            raise ValueError("a shared Barrier takes no action: run it in the party whose wait() returns 0")
        b = self._make(BarrierProxy, name, {"kind": "barrier", "parties": parties})
        b.timeout = timeout
        return b

    def Pipe(self, duplex=True, name=None, lease=None):
        """Two Connections (left, right); duplex False: left only receives, right only sends.
        lease: seconds an end outlives a holder that stopped renewing (default 6)."""
        name = name or "py-" + uuid.uuid4().hex[:12]
        Connection(self._http, self.name, name, "left")._open(_spec("pipe", duplex=duplex, lease=lease))
        ends = (Connection(self._http, self.name, name, "left"), Connection(self._http, self.name, name, "right"))
        for end in ends:
            end._bind()
        return ends

    def names(self):
        """This manager's objects the token covers: name -> kind."""
        path = "/v1/managers/%s/objects" % urllib.parse.quote(self.name, safe="")
        return {o["name"]: o["kind"] for o in self._http.call("GET", path)[1]["objects"]}

    def delete(self, name):
        q = urllib.parse.quote
        path = "/v1/managers/%s/objects/%s" % (q(self.name, safe=""), q(name, safe=""))
        return self._http.call("DELETE", path)[1]["deleted"]


def _spec(kind, **settings):
    spec = {k: v for k, v in settings.items() if v is not None}
    spec["kind"] = kind
    return spec
