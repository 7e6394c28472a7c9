package io.forklift;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Streams the results of chunked tasks: in submission order ({@code imap}) or in finishing order ({@code imapUnordered}). */
final class ChunkIterator<R> implements ResultIterator<R> {
    private final Iterator<CompletableFuture<List<R>>> ordered;
    private final LinkedBlockingQueue<CompletableFuture<List<R>>> finished;
    private int chunksLeft;
    private CompletableFuture<List<R>> current; // the chunk being waited on; kept across a timeout
    private final ArrayDeque<R> buffer = new ArrayDeque<>();

    private ChunkIterator(List<CompletableFuture<List<R>>> chunks, boolean inOrder) {
        this.chunksLeft = chunks.size();
        if (inOrder) {
            this.ordered = chunks.iterator();
            this.finished = null;
        } else {
            this.ordered = null;
            this.finished = new LinkedBlockingQueue<>();
            for (CompletableFuture<List<R>> c : chunks) c.whenComplete((v, e) -> finished.add(c));
        }
    }

    static <R> ChunkIterator<R> ordered(List<CompletableFuture<List<R>>> chunks) {
        return new ChunkIterator<>(chunks, true);
    }

    static <R> ChunkIterator<R> unordered(List<CompletableFuture<List<R>>> chunks) {
        return new ChunkIterator<>(chunks, false);
    }

    @Override
    public boolean hasNext() {
        return !buffer.isEmpty() || chunksLeft > 0;
    }

    @Override
    public R next() {
        try {
            return next(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForkliftException("interrupted while waiting for the next result", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // no timeout was given
        }
    }

    @Override
    public R next(Duration timeout) throws InterruptedException, TimeoutException {
        while (buffer.isEmpty()) {
            if (chunksLeft == 0) throw new NoSuchElementException("no more results");
            if (current == null) current = ordered != null ? ordered.next() : takeFinished(timeout);
            List<R> values;
            try {
                values = await(current, timeout);
            } catch (RuntimeException failed) {
                current = null;
                chunksLeft--;
                throw failed;
            }
            current = null;
            chunksLeft--;
            buffer.addAll(values);
        }
        return buffer.poll();
    }

    private CompletableFuture<List<R>> takeFinished(Duration timeout) throws InterruptedException, TimeoutException {
        if (timeout == null) return finished.take();
        CompletableFuture<List<R>> c = finished.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (c == null) throw new TimeoutException("no result within " + timeout);
        return c;
    }

    /** Waits on a chunk and converts the Java-side failures. */
    private static <T> T await(CompletableFuture<T> f, Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return timeout == null ? f.get() : f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) throw r;
            throw new ForkliftException(t.getMessage(), t);
        }
    }
}
