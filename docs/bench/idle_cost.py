#!/usr/bin/env python3
"""Idle coordinator cost against the number of queues (issue 16 part 4).

For each queue count: starts a fresh redis-server, registers that many queues as `pool(q, 4)` does
(the `queues` set and each queue's meta hash), starts one coordinator from a source tree, lets it
settle for 10 s, then over 30 s reads its CPU (utime + stime in /proc/<pid>/stat) and Redis's
commands processed (INFO stats total_commands_processed, minus this script's own INFO), and the
size of its /metrics. Prints one line per count. Nothing is asserted.

  docs/bench/idle_cost.py --tree /work/wt-idle --redis-server /path/to/redis-server 10 1000 10000
"""
import argparse, os, signal, socket, subprocess, sys, tempfile, time, urllib.request

def resp(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

def read_reply(f):
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t in (b"+", b"-", b":"):
        return rest
    if t == b"$":
        n = int(rest)
        return None if n < 0 else f.read(n + 2)[:-2]
    if t == b"*":
        return [read_reply(f) for _ in range(int(rest))]
    raise ValueError(line)

def command(port, *args):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(resp(*args))
        return read_reply(s.makefile("rb"))

def register(port, n, prefix="forklift:"):
    with socket.create_connection(("127.0.0.1", port)) as s:
        f = s.makefile("rb")
        batch = []
        for i in range(n):
            q = "q%05d" % i
            batch.append(resp("SADD", prefix + "queues", q))
            batch.append(resp("HSET", prefix + "{%s}:meta" % q, "concurrency", "4"))
            if len(batch) >= 2000 or i == n - 1:
                s.sendall(b"".join(batch))
                for _ in batch:
                    read_reply(f)
                batch = []

def commands_processed(port):
    info = command(port, "INFO", "stats").decode()
    for line in info.splitlines():
        if line.startswith("total_commands_processed:"):
            return int(line.split(":")[1])

def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def measure(args, n):
    port, metrics_port = free_port(), free_port()
    data = tempfile.mkdtemp(prefix="idle-cost-")
    redis = subprocess.Popen([args.redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", data], stdout=subprocess.DEVNULL)
    coordinator = None
    try:
        for _ in range(100):
            try:
                command(port, "PING"); break
            except OSError:
                time.sleep(0.1)
        register(port, n)
        log = open(os.path.join(data, "coordinator.log"), "w")
        coordinator = subprocess.Popen([os.path.join(args.tree, "forklift"), "coordinator", "--redis",
                                        "redis://127.0.0.1:%d" % port, "--metrics-port", str(metrics_port)],
                                       stdout=log, stderr=subprocess.STDOUT)
        metrics_url = "http://127.0.0.1:%d/metrics" % metrics_port
        for _ in range(600):  # the JVM starts; then it settles
            try:
                urllib.request.urlopen(metrics_url, timeout=5).read(); break
            except OSError:
                time.sleep(0.1)
        time.sleep(args.settle)
        cpu0, cmd0, t0 = cpu_seconds(coordinator.pid), commands_processed(port), time.monotonic()
        time.sleep(args.seconds)
        cpu1, cmd1, t1 = cpu_seconds(coordinator.pid), commands_processed(port), time.monotonic()
        body = urllib.request.urlopen(metrics_url, timeout=30).read()
        elapsed = t1 - t0
        print("%6d queues: coordinator CPU %5.1f%% of a core, Redis %7.0f commands/s, /metrics %8d bytes %6d lines"
              % (n, 100 * (cpu1 - cpu0) / elapsed, (cmd1 - cmd0 - 1) / elapsed, len(body), body.count(b"\n")),
              flush=True)
    finally:
        if coordinator:
            coordinator.send_signal(signal.SIGTERM)
            try:
                coordinator.wait(20)
            except subprocess.TimeoutExpired:
                coordinator.kill()
        redis.kill()
        redis.wait()

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tree", required=True, help="source tree whose ./forklift runs the coordinator (built)")
    p.add_argument("--redis-server", required=True, help="a redis-server binary")
    p.add_argument("--settle", type=float, default=10)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("counts", nargs="+", type=int)
    args = p.parse_args()
    for n in args.counts:
        measure(args, n)

if __name__ == "__main__":
    main()
