"""Process(target, args).start() and join(), from Python, run by a worker in a fresh JVM: python3 process_hello.py

Python's own example, with the target a Java task (io.forklift.examples.seeds.Hello prints 'hello <name>'):

    def f(name):
        print('hello', name)

    p = Process(target=f, args=('bob',)); p.start(); p.join()

Needs FORKLIFT_URL (http://127.0.0.1:8470 by default) and FORKLIFT_AUTHKEY, as forklift local prints them.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import ForkliftError, Process  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
KEY = os.environ["FORKLIFT_AUTHKEY"]
HELLO = "io.forklift.examples.seeds.Hello"
SLEEP = "io.forklift.examples.seeds.Sleep"

p = Process(URL, authkey=KEY, target=HELLO, args=("bob",), name="bob")
started = time.monotonic()
p.start()
p.join()  # its line is printed here as it comes, prefixed (bob pid=… host=…)
print("joined %s in %.2f s: exitcode %s, pid %s" % (p.name, time.monotonic() - started, p.exitcode, p.pid))
assert p.exitcode == 0 and not p.is_alive(), p

lines = []
quiet = Process(URL, authkey=KEY, target=HELLO, args=("alice",), output=lines.append)
quiet.start()
quiet.join()
print("its lines, given to output=:", lines)
assert len(lines) == 1 and lines[0].endswith(") hello alice"), lines

sleeper = Process(URL, authkey=KEY, target=SLEEP, args=(600,), name="sleeper")
sleeper.start()
sleeper.join(timeout=1)
print("after join(timeout=1):", sleeper, "is_alive", sleeper.is_alive())
assert sleeper.is_alive() and sleeper.exitcode is None
sleeper.terminate()
sleeper.join()
print("terminated:", sleeper)
assert sleeper.exitcode == -15, sleeper.exitcode

unknown = Process(URL, authkey=KEY, target="no.such.Task")
unknown.start()
unknown.join()
print("unknown task: exitcode %s, error: %s" % (unknown.exitcode, unknown.error))
assert unknown.exitcode == 1 and "is not registered" in unknown.error

try:
    Process(URL, authkey=KEY, target=HELLO, args=("x",), daemon=True).start()
    raise AssertionError("a daemon started over HTTP")
except ForkliftError as e:
    print("daemon=True:", e.status, str(e)[:60] + "…")
print("ok")
