#!/usr/bin/env python3
"""`./forklift bench` against Python's local multiprocessing.Pool, side by side (issue 16).

The issue's yardstick is a local `multiprocessing.Pool(8)` on the same machine: no Redis, no network,
one parent and its 8 children over pipes. This runs, in turn, `forklift bench --json --no-floor` from
the tree given and the same load on a local Pool(8) (no-op tasks whose results go back to the
submitter: `apply_async` with a callback for throughput, `apply` for round trips), `--rounds` times each, alternating
which goes first (ABBA), and prints each run and the ratios of the pairs. These machines are shared
and their speed drifts by half within a day: read the ratios, not the absolutes.

  docs/bench/against_local_pool.py --rounds 3 .
"""
import argparse, json, multiprocessing as mp, statistics, subprocess, threading, time

TASKS, WARMUP, ROUND_TRIPS = 200_000, 100_000, 2_000


def noop(x):
    return x


def callbacks(pool, n):
    """n no-op tasks through apply_async, each result to a callback, as the bench's PoolRuns does."""
    left, done = [n], threading.Event()

    def result(_):
        left[0] -= 1  # callbacks run on the Pool's one result thread
        if left[0] == 0:
            done.set()

    for i in range(n):
        pool.apply_async(noop, (i,), callback=result)
    done.wait()


def local_pool():
    """Throughput of apply_async and apply's round trip through a local Pool(8), after a warm-up."""
    with mp.Pool(8) as pool:
        callbacks(pool, WARMUP)
        started = time.perf_counter()
        callbacks(pool, TASKS)
        throughput = TASKS / (time.perf_counter() - started)
        for i in range(ROUND_TRIPS):  # warm-up calls, as the bench makes its own
            pool.apply(noop, (i,))
        times = []
        for i in range(ROUND_TRIPS):
            started = time.perf_counter()
            pool.apply(noop, (i,))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"throughput_tasks_s": round(throughput), "p50_ms": round(times[len(times) // 2], 3),
            "p99_ms": round(times[int(len(times) * 0.99)], 3)}


def forklift(tree):
    out = subprocess.run(["./forklift", "bench", "--json", "--no-floor", f"--round-trips={ROUND_TRIPS}"],
                         cwd=tree, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return {k: figures[k] for k in ("throughput_tasks_s", "p50_ms", "p99_ms")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", help="a built Forklift source tree (its ./forklift runs the bench)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs = {"forklift": [], "pool": []}
    for i in range(args.rounds):
        order = ["forklift", "pool"] if i % 2 == 0 else ["pool", "forklift"]
        for name in order:
            figures = forklift(args.tree) if name == "forklift" else local_pool()
            runs[name].append(figures)
            print(f"round {i + 1} {name:8} {figures['throughput_tasks_s']:>7,} tasks/s  apply p50 "
                  f"{figures['p50_ms']:.3f} ms  p99 {figures['p99_ms']:.3f} ms", flush=True)
    for key, label in (("throughput_tasks_s", "throughput"), ("p50_ms", "apply p50"), ("p99_ms", "apply p99")):
        ratios = [f[key] / p[key] for f, p in zip(runs["forklift"], runs["pool"])]
        print(f"forklift / pool, {label}: " + ", ".join(f"{r:.2f}" for r in ratios)
              + f" (median {statistics.median(ratios):.2f})")


if __name__ == "__main__":
    main()
