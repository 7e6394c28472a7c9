package io.forklift.examples.seeds;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.Pool;
import io.forklift.examples.tutorial.Tutorial;
import io.forklift.manager.Connection;
import io.forklift.manager.Manager;
import io.forklift.manager.Pipe;
import io.forklift.manager.QueueEmptyException;
import io.forklift.manager.QueueFullException;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedMap;
import io.forklift.manager.SharedQueue;
import java.io.EOFException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The seeds' multiprocessing examples, ported line for line: Queue, a bounded Queue with Full and
 * Empty, the father/son Pipe ending in EOFError, and a Manager's dict and list written by ten
 * processes. Until Process exists they run as pool tasks on queue {@code tutorial}. Run it with
 * {@code forklift local --demo seeds}, or {@code java … Seeds [redis-uri [prefix]]} against a cluster.
 */
public final class Seeds {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What the examples printed, for a test to check. */
    public record Results(
            List<Object> queueGot,
            List<Integer> consumed,
            boolean full,
            boolean empty,
            String sonSaid,
            String fatherSaid,
            boolean eof,
            Map<Object, Object> dict,
            List<Object> list) {}

    private Seeds() {}

    public static Results run(Forklift fl, PrintStream out) throws Exception {
        Manager m = fl.manager("seeds");
        m.clear(); // a fresh start each run
        try (Pool pool = fl.pool(Tutorial.QUEUE, 12)) {
            // q = Queue(); two processes put [42, None, 'hello']; the parent gets both.
            SharedQueue<Object> q = m.queue("q");
            List<AsyncResult<Boolean>> puts =
                    List.of(pool.applyAsync(PutHello.class, q), pool.applyAsync(PutHello.class, q));
            List<Object> got = new ArrayList<>(List.of(q.get(WAIT), q.get(WAIT)));
            for (AsyncResult<Boolean> p : puts) p.get(WAIT);
            out.println("Queue: the parent got " + got.get(0) + " and " + got.get(1));

            // Queue(maxsize=3) between a producer and a consumer; Full and Empty on the nowait calls.
            SharedQueue<Integer> bounded = m.queue("bounded", 3, Integer.class);
            AsyncResult<List<Integer>> consumer = pool.applyAsync(Consumer.class, new Consumer.Args(bounded, 10));
            pool.apply(Producer.class, new Producer.Args(bounded, 10));
            List<Integer> consumed = consumer.get(WAIT);
            out.println("Queue(maxsize=3): the consumer got " + consumed);
            boolean full = false;
            boolean empty = false;
            try {
                for (int i = 0; i < 4; i++) bounded.putNowait(i);
            } catch (QueueFullException e) {
                full = true;
                out.println("  put_nowait on a full queue: queue.Full (" + e.getMessage() + ")");
            }
            try {
                for (int i = 0; i < 4; i++) bounded.getNowait();
            } catch (QueueEmptyException e) {
                empty = true;
                out.println("  get_nowait on an empty queue: queue.Empty (" + e.getMessage() + ")");
            }

            // parent_conn, child_conn = Pipe(); the son sends 'from son', receives 'from father', closes.
            Pipe pipe = m.pipe("pipe", true);
            Connection parent = pipe.left();
            AsyncResult<String> son = pool.applyAsync(Son.class, pipe.right());
            String sonSaid = parent.recv(String.class);
            pipe.right().close(); // the parent's copy of the son's end, as in Python
            parent.send("from father");
            String fatherSaid = son.get(WAIT);
            boolean eof = false;
            try {
                parent.recv();
            } catch (EOFException e) {
                eof = true;
            }
            out.println("Pipe: the parent got '" + sonSaid + "', the son got '" + fatherSaid + "', then "
                    + (eof ? "EOFError" : "no EOFError"));

            // d = manager.dict(); l = manager.list(range(10)); ten processes run f(d, l).
            SharedMap<Object, Object> d = m.dict("d");
            SharedList<Object> l = m.list("l", IntStream.range(0, 10).boxed().toList());
            List<AsyncResult<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 10; i++) writers.add(pool.applyAsync(DictWriter.class, new DictWriter.Args(d, l)));
            for (AsyncResult<Boolean> w : writers) w.get(WAIT);
            Map<Object, Object> dict = new LinkedHashMap<>(d);
            List<Object> list = l.snapshot();
            out.println("Manager: d = " + dict + ", l = " + list + " (ten reversals)");
            return new Results(got, consumed, full, empty, sonSaid, fatherSaid, eof, dict, list);
        }
    }

    public static void main(String[] args) throws Exception {
        try (Forklift fl = Tutorial.connect(args)) {
            run(fl, System.out);
        }
    }
}
