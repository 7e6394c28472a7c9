package io.forklift.examples;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A progress bar on a stream (stderr, usually), drawn by its own daemon thread from two counters
 * the caller keeps. On a terminal it redraws one line five times a second; otherwise (a log, a
 * pipe) it writes a plain line every two seconds. {@link #close()} draws the final state.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String unit;
    private final LongSupplier done;
    private final LongSupplier total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread drawer;
    private volatile boolean closed;

    /**
     * @param unit  what is counted, e.g. "pages"
     * @param done  how many are done
     * @param total how many there are so far (may grow, as in a crawl)
     */
    public ProgressBar(PrintStream out, String unit, LongSupplier done, LongSupplier total) {
        this.out = out;
        this.unit = unit;
        this.done = done;
        this.total = total;
        this.terminal = System.console() != null;
        this.drawer = new Thread(this::drawUntilClosed, "progress-bar");
        drawer.setDaemon(true);
        drawer.start();
    }

    private void drawUntilClosed() {
        long interval = terminal ? 200 : 2000;
        try {
            while (!closed) {
                TimeUnit.MILLISECONDS.sleep(interval); // a redraw rate, not a wait for anything
                if (!closed) draw(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw(boolean last) {
        long d = done.getAsLong();
        long t = Math.max(d, total.getAsLong());
        double seconds = (System.nanoTime() - started) / 1e9;
        int filled = t == 0 ? 0 : (int) (WIDTH * d / t);
        String line = String.format(
                "[%s%s] %,d/%,d %s  %,.0f %s/s  %.1f s",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                d,
                t,
                unit,
                seconds > 0 ? d / seconds : 0.0,
                unit,
                seconds);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        drawer.interrupt();
        draw(true);
    }
}
