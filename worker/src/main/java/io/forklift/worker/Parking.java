package io.forklift.worker;

/**
 * The dispatcher's side of waiting for work: when the pacer asks for a wake-up, the waker is armed at
 * the end of the loop's pass, plain or with a claim parked behind its wait; one claim is parked at a
 * time, until it reports. Used from the dispatcher thread only.
 */
final class Parking {
    private final Waking waker;
    private boolean asked; // the pacer asked for a wake-up in this pass
    private boolean parked; // a claim waits behind the waker's wait, and has not reported
    private boolean unparkSent;

    Parking(Waking waker) {
        this.waker = waker;
    }

    /** The pacer's request: arm at the end of this pass. */
    void ask() {
        asked = true;
    }

    boolean asked() {
        return asked;
    }

    boolean parked() {
        return parked;
    }

    /**
     * Arms the waker as asked: with {@code claim} parked behind its wait if not null and the waker
     * can, else plain; nothing while a parked claim is out (it reports as a wake-up). Returns whether
     * the claim parked.
     */
    boolean arm(Trip claim) {
        asked = false;
        if (parked) return false;
        if (claim != null && waker.park(claim)) {
            parked = true;
            unparkSent = false;
            return true;
        }
        waker.arm();
        return false;
    }

    /** Ends the parked claim's wait now, once: it runs and reports, and then the worker may claim again. */
    void unpark() {
        if (!parked || unparkSent) return;
        unparkSent = true;
        waker.unpark();
    }

    /** The parked claim reported. */
    void reported() {
        parked = false;
    }
}
