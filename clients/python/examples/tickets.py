"""The ticket sale with Python buyers and Java buyers sharing one lock: python3 tickets.py

40 tickets in a shared Value; 30 Python buyers (threads of this program, each acquire its own hold
over HTTP) and 30 Java buyers (io.forklift.examples.tickets.Buyer tasks, given the same Value and
Lock as their argument) each buy one ticket: read what is left, wait a moment, write one fewer with
the hold's fence. Neither side alone can sell out, so both sell while the other does. One more Python
buyer runs as a process of its own and is stopped (SIGSTOP) while it holds the lock, for longer than
the lease: the lock goes on to the others, and when it resumes its write is refused by its fence, so it
reads again. Every sale goes to a ledger file (FORKLIFT_LEDGER, one line per sale), which a test checks
on its own: 40 sold, each ticket once, none oversold. Needs FORKLIFT_URL and FORKLIFT_AUTHKEY.
"""
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from forklift import Manager, Pool, StaleFence  # noqa: E402

URL = os.environ.get("FORKLIFT_URL", "http://127.0.0.1:8470")
KEY = os.environ["FORKLIFT_AUTHKEY"]
LEDGER = os.environ.get("FORKLIFT_LEDGER", "tickets-ledger.txt")
TICKETS, PY_BUYERS, JAVA_BUYERS, MOMENT, LEASE = 40, 30, 30, 0.02, 6

m = Manager(URL, authkey=KEY, name="tickets-py")
if sys.argv[1:] != ["--paused-buyer"]:
    for old in ("tickets", "sale"):
        m.delete(old)  # a fresh sale each run
tickets = m.Value("i", TICKETS, name="tickets")
lock = m.Lock(name="sale", lease=LEASE)
ledger_lock = threading.Lock()


def record(who, buyer, ticket, fence):
    with ledger_lock, open(LEDGER, "a") as ledger:
        ledger.write("sold %s %d ticket %d fence %d\n" % (who, buyer, ticket, fence))


def buy(n, paused=False):
    """One buyer: ("bought" or "sold out", writes refused by their fence)."""
    refused = 0
    while True:
        with lock:
            left = tickets.value
            if paused and refused == 0:
                print("holding the lock, pid", os.getpid(), flush=True)
                time.sleep(2)  # the program stops this process here, past the lock's lease
            time.sleep(MOMENT)  # what makes a sale without the lock oversell
            if left <= 0:
                return "sold out", refused
            fence = lock.fence
            try:
                tickets.set(left - 1, fence=fence)
            except StaleFence as e:
                refused += 1  # another buyer has had the lock since: what this one read is stale
                print("python buyer %d: %s" % (n, e), flush=True)
                continue
            record("python", n, left - 1, fence["token"])
            return "bought", refused


def paused_buyer(out):
    """Runs buyer 99 as a process of its own, and stops it for the lease + 2 s while it holds the lock."""
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--paused-buyer"],
                             stdout=subprocess.PIPE, text=True)
    print("  [buyer 99, pid %d: %s]" % (child.pid, child.stdout.readline().strip()), flush=True)
    child.send_signal(signal.SIGSTOP)
    holding.set()
    time.sleep(LEASE + 2)
    child.send_signal(signal.SIGCONT)
    print("  [SIGCONT to buyer 99 after %d s stopped]" % (LEASE + 2), flush=True)
    out.extend(child.communicate(timeout=120)[0].splitlines())
    out.append(child.returncode)


if sys.argv[1:] == ["--paused-buyer"]:
    print("%s, writes refused %d" % buy(99, paused=True), flush=True)
    sys.exit(0)

open(LEDGER, "w").close()
with Pool(URL, authkey=KEY, queue="tutorial") as pool:
    java = [pool.apply_async("io.forklift.examples.tickets.Buyer",
                             {"buyer": 100 + i, "tickets": tickets, "lock": lock, "momentMillis": int(MOMENT * 1000),
                              "pauseBuyer": 0, "paused": None})
            for i in range(JAVA_BUYERS)]
    deadline = time.monotonic() + 120
    while tickets.value == TICKETS and time.monotonic() < deadline:
        time.sleep(0.05)  # until the Java children are selling: then the two sides overlap
    child_out, holding = [], threading.Event()
    stopper = threading.Thread(target=paused_buyer, args=(child_out,))
    stopper.start()
    # the Python buyers start once buyer 99 holds the lock: the 30 Java buyers alone cannot sell out
    # the 40 tickets, so 99 reads some left and its write comes after the lease (started at once, they
    # sold out before 99 started on an idle machine, and 99 had nothing to write)
    holding.wait(60)
    py_out = {}
    threads = [threading.Thread(target=lambda i=i: py_out.__setitem__(i, buy(i))) for i in range(PY_BUYERS)]
    for t in threads:
        t.start()
    for t in threads + [stopper]:
        t.join(180)
    purchases = [r.get(timeout=180) for r in java]
for p in purchases:
    if p["bought"]:
        record("java", p["buyer"], p["left"], p["fence"])

print("\n".join("  buyer 99: " + line for line in child_out[:-1]))
with open(LEDGER) as f:
    sales = [line.split() for line in f]
py_sold = sum(1 for s in sales if s[1] == "python")
java_sold = sum(1 for s in sales if s[1] == "java")
print("Python buyers bought %d, Java buyers bought %d, of %d tickets; the Value says %d left"
      % (py_sold, java_sold, TICKETS, tickets.value))
child_refused = int(child_out[-2].rsplit(" ", 1)[1])
print("oversold %d; writes refused by their fence: Python %d, Java %d" % (
    max(0, py_sold + java_sold - TICKETS), sum(r for _, r in py_out.values()) + child_refused,
    sum(p["refused"] for p in purchases)))
assert py_sold + java_sold == TICKETS and tickets.value == 0, (py_sold, java_sold, tickets.value)
assert py_sold > 0 and java_sold > 0, "both sides sold: they shared the lock"
assert child_out[-1] == 0 and child_refused == 1, child_out
print("ok")
