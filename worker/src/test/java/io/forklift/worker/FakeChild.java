package io.forklift.worker;

import io.forklift.worker.child.ChildProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child for the dispatcher's unit tests: no process. It records the tasks it is handed and sent; the test
 * finishes them ({@link #finish}) or kills it, and it posts the events a real child's threads would.
 */
final class FakeChild implements Child {
    private static final AtomicLong PIDS = new AtomicLong(100_000);

    /** A task handed to a child. */
    record Handed(FakeChild child, String id, int attempt, String json) {}

    private final long pid = PIDS.incrementAndGet();
    private final BlockingQueue<Handed> handed;
    private final List<Handed> unsent = new ArrayList<>();
    private final AtomicInteger sends = new AtomicInteger();
    private volatile boolean stdinLost;
    private final CountDownLatch exited = new CountDownLatch(1);
    private BlockingQueue<WorkerEvent> events;
    private volatile String running;
    private final java.util.ArrayDeque<String> waiting = new java.util.ArrayDeque<>();
    private volatile boolean killed;
    private int tasksRun;

    FakeChild(BlockingQueue<Handed> handed) {
        this.handed = handed;
    }

    /** A starter of fake children that report every task handed to them on {@code handed}. */
    static Child.Starter starter(BlockingQueue<Handed> handed) {
        return reason -> new FakeChild(handed);
    }

    static BlockingQueue<Handed> handedQueue() {
        return new LinkedBlockingQueue<>();
    }

    /** The child reports its task done, with {@code replyJson}, as a real child's reader thread would. */
    void finish(String id, boolean ok, String replyJson) {
        finish(id, ok, 1_000, replyJson);
    }

    /** As {@link #finish(String, boolean, String)}, for a run that took {@code runNanos} in the child. */
    void finish(String id, boolean ok, long runNanos, String replyJson) {
        events.add(new WorkerEvent.TaskFinished(this, new ChildProtocol.Result(id, ok, runNanos, replyJson)));
    }

    /** The process ends by itself with {@code exitCode}. */
    void die(int exitCode) {
        exited.countDown();
        events.add(new WorkerEvent.ChildExited(this, exitCode));
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long startMillis() {
        return 1;
    }

    @Override
    public String reason() {
        return "test";
    }

    @Override
    public void listen(BlockingQueue<WorkerEvent> events) {
        this.events = events;
    }

    @Override
    public void run(String taskId, int attempt, String messageJson) throws IOException {
        if (killed) throw new IOException("child " + pid + " is gone");
        if (running == null) running = taskId;
        else if (waiting.size() < Handoffs.FOLLOWERS) waiting.add(taskId);
        else throw new IllegalStateException("child " + pid + " has " + waiting.size() + " tasks waiting already");
        tasksRun++;
        unsent.add(new Handed(this, taskId, attempt, messageJson));
    }

    /** What was handed reaches the test only once sent, as a real child's stdin sees it only once flushed. */
    @Override
    public void send() throws IOException {
        if (killed || stdinLost) throw new IOException("child " + pid + " is gone");
        sends.incrementAndGet();
        handed.addAll(unsent);
        unsent.clear();
    }

    /** How many sends reached it. */
    int sends() {
        return sends.get();
    }

    /** Its stdin breaks, as a child's that exited: what is handed is buffered, a send fails; no exit event yet. */
    void loseStdin() {
        stdinLost = true;
    }

    @Override
    public String runningTaskId() {
        return running;
    }

    @Override
    public List<String> waitingTaskIds() {
        return List.copyOf(waiting);
    }

    @Override
    public void finished() {
        running = waiting.pollFirst();
    }

    @Override
    public int tasksRun() {
        return tasksRun;
    }

    @Override
    public void retire() {
        if (exited.getCount() > 0) die(0);
    }

    @Override
    public void kill() {
        if (killed) return;
        killed = true;
        die(-9);
    }

    @Override
    public boolean killed() {
        return killed;
    }

    @Override
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return exited.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
