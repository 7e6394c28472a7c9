package io.forklift.coordinator.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while its request waits. Jetty reads nothing from a
 * connection while a request on it is being answered, so it learns of a close only when it writes;
 * a parked call that took a value by then would lose it. So while a call waits this asks to hear
 * when the connection becomes readable: end of stream means the client is gone. An HTTP/1.1 client
 * sends nothing else on a connection before its answer (no one pipelines), so a byte that does
 * arrive ends the connection too, rather than being taken from the request after it.
 */
final class Hangup implements Callback {
    private final EndPoint endPoint;
    private final Runnable onGone;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Hangup(EndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /** Watches {@code ex}'s connection until {@link #stop()}; {@code onGone} runs if the client goes. */
    static Hangup watch(Exchange ex, Runnable onGone) {
        EndPoint ep = ex.request().getConnectionMetaData().getConnection().getEndPoint();
        Hangup h = new Hangup(ep, onGone);
        if (!ep.tryFillInterested(h)) h.stopped.set(true); // the connection reads already: it notices itself
        return h;
    }

    /** The connection became readable while the call waits. */
    @Override
    public void succeeded() {
        if (stopped.get()) return;
        boolean gone;
        try {
            gone = endPoint.fill(BufferUtil.allocate(1)) != 0; // -1 the client closed; 1 a byte it may not send
        } catch (IOException e) {
            gone = true;
        }
        if (gone) {
            stopped.set(true);
            onGone.run();
            endPoint.close();
        } else if (!stopped.get()) {
            endPoint.tryFillInterested(this); // woken with nothing to read: listen on
        }
    }

    @Override
    public void failed(Throwable x) {
        if (stopped.compareAndSet(false, true) && !(x instanceof Stopped)) onGone.run();
    }

    /** Stops watching, before the answer is written, so the connection may read again once it is sent. */
    void stop() {
        if (stopped.compareAndSet(false, true) && endPoint instanceof AbstractEndPoint a)
            a.getFillInterest().onFail(new Stopped());
    }

    /** Not a failure: the call is answered. */
    private static final class Stopped extends Exception {
        Stopped() {
            super("answered", null, false, false);
        }
    }
}
