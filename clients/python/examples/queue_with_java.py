"""A Manager queue shared by a Python producer and Java consumers: python3 queue_with_java.py

Python puts 20 numbers into a Queue(maxsize=5); two Java tasks (io.forklift.examples.seeds.Consumer),
given the queue itself as their argument, take 10 each in Java children. The queue's bound makes the
producer wait for the consumers, as multiprocessing's would. Needs FORKLIFT_URL and FORKLIFT_AUTHKEY.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import Manager, Pool  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
KEY = os.environ["FORKLIFT_AUTHKEY"]

m = Manager(URL, authkey=KEY, name="python-example")
m.delete("numbers")
q = m.Queue(maxsize=5, name="numbers")
with Pool(URL, authkey=KEY, queue="tutorial") as pool:
    consumers = [pool.apply_async("io.forklift.examples.seeds.Consumer", {"queue": q, "n": 10}) for _ in range(2)]
    for i in range(20):
        q.put(i, timeout=60)  # waits while five are waiting to be taken
    taken = [c.get(timeout=120) for c in consumers]
print("Java consumers took:", taken)
assert sorted(taken[0] + taken[1]) == list(range(20)), taken
assert q.qsize() == 0
print("ok")
