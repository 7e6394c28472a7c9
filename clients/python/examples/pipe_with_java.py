"""A Pipe between this Python program and a Java task: python3 pipe_with_java.py

Python's own example, `parent_conn, child_conn = Pipe()` with the child in Java: the Java task
io.forklift.examples.seeds.Son gets the child end as its argument, sends 'from son', receives what
the parent sends, closes its end and returns it. Once it has, the parent's recv raises EOFError.
Needs FORKLIFT_URL and FORKLIFT_AUTHKEY.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import Manager, Pool  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
KEY = os.environ["FORKLIFT_AUTHKEY"]

m = Manager(URL, authkey=KEY, name="python-example")
m.delete("talk")
parent, child = m.Pipe(duplex=True, name="talk", lease=3)
with Pool(URL, authkey=KEY, queue="tutorial") as pool:
    son = pool.apply_async("io.forklift.examples.seeds.Son", child)
    started = time.monotonic()
    said = parent.recv()  # the son's end is bound in its Java child once this arrives
    print("the parent got %r from Java (%.0f ms after submitting)" % (said, (time.monotonic() - started) * 1000))
    child.close()  # this program's copy of the son's end, as in Python
    parent.send("from father")
    print("the son got %r" % son.get(timeout=120))
try:
    parent.recv()
    raise SystemExit("expected EOFError once the son closed its end")
except EOFError as e:
    print("then EOFError:", str(e).split(": ")[-1])
parent.close()
assert said == "from son"
print("ok")
