"""Forklift from Python: multiprocessing's names over a Forklift coordinator's HTTP API.

One module, standard library only. Shared objects live in the cluster's Redis, so Java programs,
Java tasks and other Python programs see the same ones:

    from forklift import Manager, Pool
    m = Manager("http://127.0.0.1:8470", authkey=os.environ["FORKLIFT_AUTHKEY"])
    q = m.Queue(maxsize=3, name="urls")     # name it to share it; a fresh name otherwise
    q.put("http://example.org/"); q.get(timeout=5)
    with Pool("http://127.0.0.1:8470", authkey=..., queue="tutorial") as pool:
        r = pool.apply_async("io.forklift.examples.tutorial.Square", 7, callback=print)
        r.get(timeout=30)                  # 49; the callback ran in this program

    p = Process("http://127.0.0.1:8470", authkey=..., target="io.forklift.examples.seeds.Hello", args=("bob",))
    p.start(); p.join()                # "(Process-1 pid=… host=…) hello bob" printed here; p.exitcode == 0
    tickets = m.Value("i", 20, name="tickets")
    lock = m.Lock(name="sale")              # leased; renewed by a daemon thread while held
    with lock:
        left = tickets.value
        tickets.set(left - 1, fence=lock.fence)   # StaleFence if the hold lapsed meanwhile
    parent, child = m.Pipe(duplex=True)     # two Connections; their holds renewed by the same thread
    parent.send({"n": 1}); child.recv()     # EOFError once the other end is closed and drained

Callbacks run on the pool's result thread, as in multiprocessing. Values are JSON. The authkey
never leaves this process: it derives the cluster token (an HMAC), as `forklift token cluster` does.
A scoped token (`forklift token create`) may be given as token=... instead.
"""
from ._http import ForkliftError, RemoteError, StaleFence, cluster_token
from .manager import Manager
from .pool import AsyncResult, Pool
from .process import Process

__all__ = ["Manager", "Pool", "Process", "AsyncResult", "ForkliftError", "RemoteError", "StaleFence",
           "cluster_token"]
