"""The ticket sale with Python buyers and Java buyers sharing one lock: python3 tickets.py

40 tickets in a shared Value; 30 Python buyers (threads of this program, each acquire its own hold
over HTTP) and 30 Java buyers (io.forklift.examples.tickets.Buyer tasks, given the same Value and
Lock as their argument) each buy one ticket: read what is left, wait a moment, write one fewer with
the hold's fence. Neither side alone can sell out, so both sell while the other does. Every sale goes
to a ledger file (FORKLIFT_LEDGER, one line per sale), which a test checks on its own: 40 sold, each
ticket once, none oversold. Needs FORKLIFT_URL and FORKLIFT_AUTHKEY.
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import Manager, Pool, StaleFence  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
KEY = os.environ["FORKLIFT_AUTHKEY"]
LEDGER = os.environ.get("FORKLIFT_LEDGER", "tickets-ledger.txt")
TICKETS, PY_BUYERS, JAVA_BUYERS, MOMENT = 40, 30, 30, 0.02

m = Manager(URL, authkey=KEY, name="tickets-py")
for old in ("tickets", "sale"):
    m.delete(old)  # a fresh sale each run
tickets = m.Value("i", TICKETS, name="tickets")
lock = m.Lock(name="sale")
ledger, ledger_lock = open(LEDGER, "w"), threading.Lock()


def record(who, buyer, ticket, fence):
    with ledger_lock:
        ledger.write("sold %s %d ticket %d fence %d\n" % (who, buyer, ticket, fence))
        ledger.flush()


def python_buyer(n, out):
    refused = 0
    while True:
        with lock:
            left = tickets.value
            time.sleep(MOMENT)  # what makes a sale without the lock oversell
            if left <= 0:
                out[n] = ("sold out", refused)
                return
            fence = lock.fence
            try:
                tickets.set(left - 1, fence=fence)
            except StaleFence:
                refused += 1  # the hold lapsed and another buyer has had the lock since: read again
                continue
            record("python", n, left - 1, fence["token"])
            out[n] = ("bought", refused)
            return


with Pool(URL, authkey=KEY, queue="tutorial") as pool:
    java = [pool.apply_async("io.forklift.examples.tickets.Buyer",
                             {"buyer": 100 + i, "tickets": tickets, "lock": lock, "momentMillis": int(MOMENT * 1000),
                              "pauseBuyer": 0, "paused": None})
            for i in range(JAVA_BUYERS)]
    deadline = time.monotonic() + 120
    while tickets.value == TICKETS and time.monotonic() < deadline:
        time.sleep(0.05)  # until the Java children are selling: then the two sides overlap
    py_out = {}
    threads = [threading.Thread(target=python_buyer, args=(i, py_out)) for i in range(PY_BUYERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    purchases = [r.get(timeout=120) for r in java]
for p in purchases:
    if p["bought"]:
        record("java", p["buyer"], p["left"], p["fence"])
ledger.close()

py_sold = sum(1 for s, _ in py_out.values() if s == "bought")
java_sold = sum(1 for p in purchases if p["bought"])
print("Python buyers bought %d, Java buyers bought %d, of %d tickets; the Value says %d left"
      % (py_sold, java_sold, TICKETS, tickets.value))
print("oversold %d; writes refused by their fence: Python %d, Java %d" % (
    max(0, py_sold + java_sold - TICKETS), sum(r for _, r in py_out.values()), sum(p["refused"] for p in purchases)))
assert py_sold + java_sold == TICKETS and tickets.value == 0, (py_sold, java_sold, tickets.value)
assert py_sold > 0 and java_sold > 0, "both sides sold: they shared the lock"
print("ok")
