"""Lock, RLock, Semaphore, BoundedSemaphore, Condition, Barrier of a cluster, by multiprocessing's names.

A hold is leased: the coordinator answers each acquire with a holder id, a fencing token and the
lock's lease, and a daemon thread here renews every hold this program has, every third of its
lease. A program that dies (or stops, or is cut off) stops renewing, and its hold lapses within a
lease, as a dead Java holder's does; the next holder gets a larger fence. Writes carrying
`fence=lock.fence` (Value.set, dict.set, list.append…) are refused with StaleFence once a newer
holder exists, so a holder that was paused past its lease cannot overwrite what the next one did.

A Condition's wait gives up this program's hold and comes back holding the lock again, with a new
fence. A Barrier's wait is one HTTP call during which the coordinator keeps this party's arrival
alive; it waits at most the coordinator's --http-max-wait (300 s by default), also with no timeout.
"""
import threading
import time
import uuid

from ._http import ForkliftError
from .objects import _Proxy, _waits

_LONGEST = 3600.0  # seconds the connection waits for an answer the coordinator bounds by --http-max-wait

__all__ = ["LockProxy", "RLockProxy", "SemaphoreProxy", "BoundedSemaphoreProxy", "ConditionProxy",
           "BarrierProxy"]


class _Hold:
    def __init__(self, proxy, answer):
        self.proxy, self.holder, self.fence = proxy, answer["holder"], answer["fence"]
        self.period = answer["lease"] / 3.0
        self.due = time.monotonic() + self.period
        self.lost = False


class _Renewer:
    """One daemon thread renewing every hold of this program when a third of its lease has passed."""

    def __init__(self):
        self.holds, self.lock, self.thread = set(), threading.Lock(), None

    def add(self, hold):
        with self.lock:
            self.holds.add(hold)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="forklift-lock-renewer", daemon=True)
                self.thread.start()

    def remove(self, hold):
        with self.lock:
            self.holds.discard(hold)

    def _run(self):
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self.lock:
                due = [h for h in self.holds if h.due <= now]
            for h in due:
                h.due = now + h.period
                try:
                    h.proxy._call("renew", holder=h.holder, fence=h.fence)
                except ForkliftError as e:
                    if e.code in ("lost", "no_object"):  # lapsed, or the lock deleted: nothing to renew
                        h.lost = True
                        self.remove(h)
                except OSError:
                    h.due = now + 0.2  # coordinator unreachable: try again soon; the lease decides


_renewer = _Renewer()


class _Acquirable(_Proxy):
    """acquire/release of one permit, each acquire a hold of its own holder id, renewed while held."""

    def __init__(self, http, manager, name):
        super().__init__(http, manager, name)
        self._holds, self._mutex = [], threading.Lock()

    def _holder(self):
        return "py-" + uuid.uuid4().hex

    def acquire(self, block=True, timeout=None):
        holder = self._holder()
        if block and timeout is None:
            return self._acquire_in_line(holder)
        for w in _waits(block, timeout):
            args = {"holder": holder, "block": False} if w is None else {"holder": holder, "timeout": w}
            answer = self._call("acquire", w or 0.0, **args)
            if answer["acquired"]:
                self._held(answer)
                return True
        return False

    def _acquire_in_line(self, holder):
        # A waiter leaves the lock's line when its call ends and joins again at the back, so an acquire
        # with no timeout asks for the coordinator's longest wait (--http-max-wait, 300 s by default):
        # its place is kept that long, not the 20 s of a piece.
        while True:
            answer = self._call("acquire", _LONGEST, holder=holder)
            if answer["acquired"]:
                self._held(answer)
                return True

    def _held(self, answer):
        with self._mutex:
            again = [h for h in self._holds if h.holder == answer["holder"]]
            hold = again[0] if again else _Hold(self, answer)  # an rlock re-entered keeps its hold
            self._holds.append(hold)
        _renewer.add(hold)

    def _mine(self):
        """The hold a release gives back: the latest this program took."""
        return self._holds[-1] if self._holds else None

    def release(self):
        """Releases this program's hold; False when it had lapsed (not renewed in time) meanwhile."""
        with self._mutex:
            hold = self._mine()
            if hold is not None:
                self._holds.reverse()
                self._holds.remove(hold)  # its latest entry
                self._holds.reverse()
                if hold not in self._holds:
                    _renewer.remove(hold)
        if hold is None:
            return self._release_unheld()
        try:
            self._call("release", holder=hold.holder, fence=hold.fence)
            return True
        except ForkliftError as e:
            if e.code == "not_held":
                return False
            raise

    def _release_unheld(self):
        raise RuntimeError("release unlocked lock: this program holds no hold of %s/%s" % (self.manager, self.name))

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class LockProxy(_Acquirable):
    """multiprocessing's Lock: acquire(block=True, timeout=None) -> bool, release(), `with lock:`."""

    kind = "lock"

    @property
    def fence(self):
        """What a fenced write takes while this program holds the lock: {"lock": ..., "token": ...}."""
        with self._mutex:
            if not self._holds:
                raise RuntimeError("%s/%s is not held here: a fence is the current hold's" % (self.manager, self.name))
            hold = self._holds[-1]
        return {"lock": "%s/%s" % (self.manager, self.name), "token": hold.fence}

    @property
    def lost(self):
        """Whether this program's hold lapsed (it was not renewed within the lease)."""
        with self._mutex:
            return bool(self._holds) and self._holds[-1].lost

    def locked(self):
        return self._show()["locked"]


class RLockProxy(LockProxy):
    """multiprocessing's RLock: the holding thread may acquire again, and releases as often."""

    kind = "rlock"

    def __init__(self, http, manager, name):
        super().__init__(http, manager, name)
        self._ids = threading.local()

    def _holder(self):
        if not hasattr(self._ids, "id"):
            self._ids.id = "py-" + uuid.uuid4().hex
        return self._ids.id

    def _mine(self):
        mine = [h for h in self._holds if h.holder == self._holder()]
        return mine[-1] if mine else None


class SemaphoreProxy(_Acquirable):
    """multiprocessing's Semaphore(value): release() by one holding none adds a permit, as Python's does."""

    kind = "semaphore"

    def _release_unheld(self):
        self._call("release")
        return True

    def get_value(self):
        return self._show()["value"]


class BoundedSemaphoreProxy(SemaphoreProxy):
    """multiprocessing's BoundedSemaphore(value): a release above value raises ValueError."""

    kind = "bounded_semaphore"

    def _release_unheld(self):
        try:
            return super()._release_unheld()
        except ForkliftError as e:
            if e.code == "conflict":
                raise ValueError("Semaphore released too many times") from None
            raise


class ConditionProxy:
    """multiprocessing's Condition(lock): wait(timeout), wait_for, notify(n), notify_all, `with cond:`."""

    def __init__(self, lock, name="default"):
        self._lock, self.name = lock, name
        self.acquire, self.release = lock.acquire, lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def _held(self):
        with self._lock._mutex:
            hold = self._lock._mine()
            count = self._lock._holds.count(hold)
        if hold is None:
            raise RuntimeError("cannot wait on un-acquired lock")
        return hold, count

    def wait(self, timeout=None):
        hold, count = self._held()
        _renewer.remove(hold)  # the hold is given up while waiting; the coordinator keeps the wait alive
        try:
            for w in _waits(True, timeout):
                answer = self._lock._call("wait", w, holder=hold.holder, fence=hold.fence, count=count,
                                          condition=self.name, timeout=w)
                # a new hold: a renewal of the old fence that raced with the wait does not make it lost
                hold.fence, hold.due, hold.lost = answer["fence"], time.monotonic() + hold.period, False
                if answer["notified"]:
                    return True
            return False
        finally:
            _renewer.add(hold)

    def wait_for(self, predicate, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        result = predicate()
        while not result:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                break
            self.wait(left)
            result = predicate()
        return result

    def notify(self, n=1):
        hold, _ = self._held()
        self._lock._call("notify", holder=hold.holder, fence=hold.fence, condition=self.name, n=n)

    def notify_all(self):
        hold, _ = self._held()
        self._lock._call("notify_all", holder=hold.holder, fence=hold.fence, condition=self.name)


class BarrierProxy(_Proxy):
    """multiprocessing's Barrier(parties, timeout=None): wait() -> the arrival index; BrokenBarrierError."""

    kind = "barrier"
    timeout = None  # the default of wait(); None: the coordinator's longest

    def wait(self, timeout=None):
        t = self.timeout if timeout is None else timeout
        try:
            if t is None:
                return self._call("wait", 3600.0)["index"]
            return self._call("wait", t, timeout=t)["index"]
        except ForkliftError as e:
            if e.code == "broken":
                raise threading.BrokenBarrierError(e.body.get("message")) from None
            raise

    def reset(self):
        self._call("reset")

    def abort(self):
        self._call("abort")

    @property
    def parties(self):
        return self._show()["parties"]

    @property
    def n_waiting(self):
        return self._show()["n_waiting"]

    @property
    def broken(self):
        return self._show()["broken"]
