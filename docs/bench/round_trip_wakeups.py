#!/usr/bin/env python3
"""Where an `apply` round trip's time and tail go: thread wake-ups, CPU and run-queue waits (issue 16 part 1).

Runs `forklift bench` from each source tree given, and while its sequential round trips run, records
the kernel's scheduler events for a few seconds (`perf sched record`, every process on the machine).
From `perf sched timehist` it counts, per round trip: the thread wake-ups (a thread put back on a CPU),
the CPU they ran, and how many wake-ups waited over 1 ms for a CPU (the scheduling delay: a woken
thread that finds both cores busy waits for the running one's slice or the next tick, 4 ms at
HZ=250), and which threads held the CPUs while those late ones waited. Recording starts with the
timed calls, after the bench's warm-up calls. Round trips are counted by the wake-ups of the worker's
threads that read the children's replies (one per task's reply; about 1 per round trip). Trees are run in turn, `--runs` times each, so
their figures can be compared side by side. Needs root and `perf` (Debian: linux-perf).

  docs/bench/round_trip_wakeups.py --runs 2 /work/old-tree /work/new-tree
"""
import argparse, collections, os, re, subprocess, sys, tempfile, time

LINE = re.compile(r"^\s*(\d+\.\d+) \[(\d+)\]\s+(.*?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$")


def thread_kind(name):
    """'worker-fetcher[123/100]' -> 'worker-fetcher'; a child's reader threads -> 'child-read'."""
    base = re.sub(r"\[.*", "", name)
    if base.startswith("child-"):
        return "child-read"
    return base


def blame(runs, waits):
    """Thread kinds by the share of the late wake-ups' waiting time they spent running on a CPU."""
    ran = collections.Counter()
    for start, end, name in runs:
        for woken, started in waits:
            overlap = min(end, started) - max(start, woken)
            if overlap > 0:
                ran[re.sub(r"\[.*", "", name).strip()] += overlap
    total = sum(ran.values()) or 1
    return ", ".join(f"{k} {v / total:.0%}" for k, v in ran.most_common(6))


def no_floor(tree):
    """Whether the tree's bench has --no-floor (trees before it have no floor to skip)."""
    bench = os.path.join(tree, "cli/src/main/java/io/forklift/cli/bench/BenchCommand.java")
    return os.path.exists(bench) and "--no-floor" in open(bench).read()


def measure(tree, seconds, round_trips):
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "bench.out")
        data = os.path.join(tmp, "sched.data")
        command = [os.path.join(tree, "forklift"), "bench", "--tasks", "30000", "--round-trips", str(round_trips)]
        if no_floor(tree):
            command.append("--no-floor")  # the floor's own round trips would count here
        with open(out_path, "w") as out:
            bench = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
            while "sequential apply calls" not in open(out_path).read():  # past the warm-up calls
                if bench.poll() is not None:
                    sys.exit("forklift bench ended before its round trips:\n" + open(out_path).read())
                time.sleep(0.2)
            subprocess.run(["perf", "sched", "record", "-o", data, "-a", "--", "sleep", str(seconds)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            bench.wait()
        hist = subprocess.run(["perf", "sched", "timehist", "-i", data], capture_output=True, text=True).stdout
        figures = [l.strip() for l in open(out_path) if "round trip " in l]
    wakeups, cpu_ms, late = collections.Counter(), 0.0, 0
    runs, waits = [], []  # (start, end, thread) of every run on a CPU; (woken, started) of each late wake-up
    for line in hist.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        end, delay, ran = float(m.group(1)), float(m.group(5)) / 1000, float(m.group(6)) / 1000
        runs.append((end - ran, end, m.group(3)))
        if m.group(3).startswith("<idle>"):
            continue
        wakeups[thread_kind(m.group(3))] += 1
        cpu_ms += float(m.group(6))
        late += float(m.group(5)) > 1.0
        if delay > 0.001:
            waits.append((end - ran - delay, end - ran))
    trips = wakeups["child-read"]
    if trips == 0:
        sys.exit("no child reader wake-ups recorded: is perf allowed to trace the scheduler here?")
    top = ", ".join(f"{k} {v / trips:.2f}" for k, v in wakeups.most_common(7))
    print(f"{tree}: {figures[0] if figures else ''}")
    print(f"  ~{trips:.0f} round trips in {seconds} s; per round trip: {sum(wakeups.values()) / trips:.1f} wake-ups, "
          f"{cpu_ms / trips * 1000:.0f} µs CPU (every process); wake-ups that waited > 1 ms for a CPU: "
          f"{late / trips * 1000:.1f} per 1,000 round trips")
    print(f"  wake-ups per round trip by thread: {top}")
    print(f"  what ran on the CPUs while those late wake-ups waited: {blame(runs, waits)}")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("trees", nargs="+", help="source trees with a built ./forklift")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--seconds", type=int, default=3)
    p.add_argument("--round-trips", type=int, default=12000)
    a = p.parse_args()
    for _ in range(a.runs):
        for tree in a.trees:
            measure(tree, a.seconds, a.round_trips)


if __name__ == "__main__":
    main()
