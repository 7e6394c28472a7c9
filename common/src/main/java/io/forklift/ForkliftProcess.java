package io.forklift;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Python's {@code multiprocessing.Process}, run by a worker of the cluster in a fresh JVM of its
 * own (never a pool's child):
 *
 * <pre>{@code
 * ForkliftProcess p = fl.process(Greet.class, "bob").name("bob").start();
 * p.join();                  // what it printed has appeared here, prefixed "(bob pid=… host=…)"
 * int code = p.exitCode();   // 0 returned, 1 threw (see error()), -15 terminated, -9 killed
 * }</pre>
 *
 * Configure it, then {@link #start()} once. Its state lives in Redis, so {@link #exitCode()},
 * {@link #pid()} and {@link #host()} ask Redis each time until it has ended. Thread-safe.
 */
public final class ForkliftProcess {
    /** How long join waits, after the end, for the last lines the process printed and its task's reply to arrive. */
    static final Duration OUTPUT_SETTLE = Duration.ofSeconds(2);

    private final ProcessHub hub;
    private final String taskName;
    private final Object arg;
    private final CountDownLatch outputEnded = new CountDownLatch(1);
    private volatile String name;
    private volatile boolean daemon;
    private volatile Consumer<String> output;
    private volatile String id;
    private volatile AsyncResult<Object> result;
    private volatile Map<String, String> ended; // the registry entry once it has ended

    ForkliftProcess(ProcessHub hub, String taskName, Object arg, int number) {
        this.hub = hub;
        this.taskName = taskName;
        this.arg = arg;
        this.name = "Process-" + number;
    }

    /** Its name, printed before each of its lines; {@code Process-N} unless set. */
    public ForkliftProcess name(String name) {
        checkNotStarted("name");
        new io.forklift.wire.ProcessSpec(name, false, 0, "-"); // the one place that checks a name
        this.name = name;
        return this;
    }

    /**
     * A daemonic process is terminated when its starter ends: at {@link Forklift#close()}, or, if the
     * starter dies without closing (kill -9 included), within one liveness lease (10 s). It may not
     * start processes of its own. Non-daemonic ones run on, and {@code close()} waits for them.
     */
    public ForkliftProcess daemon(boolean daemon) {
        checkNotStarted("daemon");
        this.daemon = daemon;
        return this;
    }

    /**
     * Where its printed lines go, each prefixed {@code (name pid=… host=…)}; by default stdout lines
     * go to {@code System.out} and stderr lines to {@code System.err}; null discards them.
     */
    public ForkliftProcess output(Consumer<String> lines) {
        checkNotStarted("output");
        this.output = lines == null ? line -> {} : lines;
        return this;
    }

    /** Sends it to the cluster's process queue; a worker runs it in a fresh JVM. Once only. */
    public synchronized ForkliftProcess start() {
        if (id != null) throw new IllegalStateException("cannot start a process twice (" + name + " is " + id + ")");
        if (ProcessInfo.current().daemon()) {
            throw new IllegalStateException("daemonic processes are not allowed to have children");
        }
        result = hub.start(this);
        id = result.id();
        return this;
    }

    /** Waits until it has ended and what it printed has arrived. */
    public void join() throws InterruptedException {
        while (!join(Duration.ofDays(1))) {
            // a day at a time
        }
    }

    /** Waits up to {@code timeout}; true if it has ended. Python's join returns nothing: ask {@link #exitCode()}. */
    public boolean join(Duration timeout) throws InterruptedException {
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        if (id == null) throw new IllegalStateException("can only join a started process (" + name + ")");
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!hub.awaitEnd(id, deadline)) return false;
        entry(); // keeps the ended state, readable after this client closes
        // Its last lines may still be on their way (the worker sends them as its stderr closes), and so
        // may its task's reply, which error() reads: the end is recorded before the reply is delivered.
        long settleBy = System.nanoTime() + Math.min(deadline - System.nanoTime(), OUTPUT_SETTLE.toNanos());
        outputEnded.await(Math.max(0, settleBy - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            result.toCompletableFuture().get(Math.max(0, settleBy - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            // failed or not here yet: error() says what it knows
        }
        return true;
    }

    /** Whether it was started and has not ended. */
    public boolean isAlive() {
        return id != null && exitCode() == null;
    }

    /**
     * As Python's {@code exitcode}: null until it ends; 0 if its task returned, 1 if it threw (see
     * {@link #error()}), {@code -N} if signal N ended it ({@code -15} terminate, {@code -9} kill),
     * else its JVM's exit status.
     */
    public Integer exitCode() {
        String code = entry().get("exitCode");
        return code == null ? null : Integer.valueOf(code);
    }

    /** The OS pid of the JVM that runs it; null until a worker has taken it. */
    public Long pid() {
        String pid = entry().get("pid");
        return pid == null ? null : Long.valueOf(pid);
    }

    /** The host that runs it; null until a worker has taken it. */
    public String host() {
        return entry().get("host");
    }

    /** The worker daemon that runs it; null until one has taken it. */
    public String workerId() {
        return entry().get("worker");
    }

    /** Why it failed: the remote exception (with its stack) when it threw, or what ended it; null otherwise. */
    public Throwable error() {
        AsyncResult<Object> r = result;
        if (r == null || !r.ready() || r.successful()) return null;
        try {
            r.toCompletableFuture().join();
            return null;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        }
    }

    /** SIGTERM to its whole process tree, SIGKILL after the worker's grace; it ends with -15. A no-op once ended. */
    public void terminate() {
        signal(15);
    }

    /** SIGKILL to its whole process tree; it ends with -9. */
    public void kill() {
        signal(9);
    }

    public String name() {
        return name;
    }

    public boolean daemon() {
        return daemon;
    }

    /** Its id in the cluster (its task id); null before {@link #start()}. */
    public String id() {
        return id;
    }

    AsyncResult<Object> result() {
        return result;
    }

    String taskName() {
        return taskName;
    }

    Object arg() {
        return arg;
    }

    /** A line it printed: to its sink, or to this program's stdout/stderr. */
    void print(String kind, String line) {
        Consumer<String> sink = output;
        if (sink != null) sink.accept(line);
        else if ("e".equals(kind)) System.err.println(line);
        else System.out.println(line);
    }

    void outputEnded() {
        outputEnded.countDown();
    }

    private void signal(int signal) {
        if (id == null) throw new IllegalStateException("can only signal a started process (" + name + ")");
        if (exitCode() != null) return;
        hub.signal(this, signal);
    }

    private Map<String, String> entry() {
        Map<String, String> e = ended;
        if (e != null || id == null) return e == null ? Map.of() : e;
        Map<String, String> now = hub.entry(id);
        if (now.containsKey("exitCode")) ended = now;
        return now;
    }

    private void checkNotStarted(String what) {
        if (id != null) throw new IllegalStateException("set " + what + " before start(); " + name + " has started");
    }

    @Override
    public String toString() {
        Integer code = id == null ? null : exitCode();
        String state = id == null ? "initial" : code == null ? "started" : "stopped exitcode=" + code;
        return "<ForkliftProcess name='" + name + "' " + state + (daemon ? " daemon" : "") + ">";
    }
}
