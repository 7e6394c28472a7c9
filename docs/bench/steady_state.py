#!/usr/bin/env python3
"""CPU, context switches and system calls per task in a throughput run's steady state (issue 16).

`forklift bench` prints CPU per task over its whole throughput run, which on this machine includes
most of the JIT's warm-up (the worker's C2 threads are a fifth of its CPU for the first ~20 s). This
starts `forklift bench --tasks 400000 --round-trips 100 --no-floor` from each source tree given,
waits `--skip` seconds into the throughput run, then reads /proc for 10 s: per process (the bench's
client, the worker, its children together, Redis) the CPU time and context switches per completed
task, and the worker's and children's read and write system calls per task (`syscr`/`syscw` of
/proc/PID/io). Tasks are counted by the queue's `completed` field in Redis. Trees are run in
alternating order (ABBA), `--pairs` times, so their figures can be compared side by side. Needs
`redis-cli`; run it on an otherwise idle machine and read ratios, not absolutes.

  docs/bench/steady_state.py --pairs 4 /work/old-tree /work/new-tree
"""
import argparse, os, re, subprocess, time

TICK = os.sysconf("SC_CLK_TCK")


def threads_switches(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                total += sum(int(l.split()[1]) for l in f if l.startswith(("voluntary_ctxt", "nonvoluntary_ctxt")))
        except OSError:
            pass  # a thread that ended meanwhile
    return total


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def io_calls(pid):
    with open(f"/proc/{pid}/io") as f:
        values = dict(l.split(": ") for l in f.read().splitlines())
    return int(values["syscr"]), int(values["syscw"])


def sample(groups):
    out = {}
    for name, pids in groups.items():
        reads = writes = 0
        for p in pids:
            r, w = io_calls(p)
            reads, writes = reads + r, writes + w
        out[name] = (sum(cpu_seconds(p) for p in pids), sum(threads_switches(p) for p in pids), reads, writes)
    return out


def completed(port, meta):
    return int(subprocess.run(["redis-cli", "-p", port, "hget", meta, "completed"], capture_output=True, text=True).stdout)


def run(tree, skip):
    log = open(f"/tmp/steady-{os.getpid()}.out", "w+")
    bench = subprocess.Popen(
        ["./forklift", "bench", "--tasks", "400000", "--round-trips", "100", "--no-floor"],
        cwd=tree, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        text = ""
        while "throughput:" not in text:
            time.sleep(0.2)
            log.seek(0)
            text = log.read()
            if bench.poll() is not None:
                raise SystemExit(f"{tree}: the bench ended before its throughput run:\n{text}")
        time.sleep(skip)
        port = re.search(r"127\.0\.0\.1:(\d+)", text).group(1)
        worker = int(re.search(r"worker pid (\d+)", text).group(1))
        children = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(worker), "-f", "ChildMain"], capture_output=True, text=True).stdout.split()]
        redis = int(subprocess.run(["pgrep", "-n", "redis-server"], capture_output=True, text=True).stdout)
        meta = subprocess.run(["redis-cli", "-p", port, "--scan", "--pattern", "*bench*:meta"],
                              capture_output=True, text=True).stdout.split()[0]
        groups = {"client": [bench.pid], "worker": [worker], "children": children, "redis": [redis]}
        # the bench's JVM is a child of the forklift script's exec: same pid
        n0, s0 = completed(port, meta), sample(groups)
        time.sleep(10)
        n1, s1 = completed(port, meta), sample(groups)
        n = n1 - n0
        delta = {k: [b - a for a, b in zip(s0[k], s1[k])] for k in groups}
        cpu = " ".join(f"{k} {delta[k][0] * 1e6 / n:.1f}" for k in groups)
        total = sum(delta[k][0] for k in groups) * 1e6 / n
        switches = " ".join(f"{k} {delta[k][1] / n:.2f}" for k in groups)
        calls = " ".join(f"{k} {delta[k][2] / n:.2f}/{delta[k][3] / n:.2f}" for k in ("worker", "children"))
        load = open("/proc/loadavg").read().split()[0]
        return (f"{n / 10:,.0f} tasks/s | CPU µs/task {cpu} total {total:.1f} | switches/task {switches}"
                f" | reads/writes per task {calls} | load {load}")
    finally:
        os.killpg(bench.pid, 15)
        bench.wait()
        os.unlink(log.name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--skip", type=float, default=8, help="seconds into the throughput run before measuring")
    args = ap.parse_args()
    for i in range(args.pairs):
        for tree in (args.trees if i % 2 == 0 else list(reversed(args.trees))):
            print(f"{os.path.basename(os.path.abspath(tree))}: {run(tree, args.skip)}", flush=True)


if __name__ == "__main__":
    main()
