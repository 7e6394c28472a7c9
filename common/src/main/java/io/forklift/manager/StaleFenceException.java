package io.forklift.manager;

import io.forklift.ForkliftException;

/**
 * A fenced write was refused where the data lives: a newer fencing token of its lock has been
 * issued, so the writer lost the lock (its lease ran out while it was paused or cut off) and
 * another holder may have read the object since. Nothing was written; take the lock again.
 */
public class StaleFenceException extends ForkliftException {
    private final long newest;

    public StaleFenceException(ObjectRef target, String lock, long token, long newest) {
        super("a write to " + target + " carrying fencing token " + token + " of lock '" + lock
                + "' was refused: token " + newest + " has been issued since, so this holder lost the lock; "
                + "nothing was written, take the lock again");
        this.newest = newest;
    }

    public StaleFenceException(ObjectRef target, long newest) {
        super("a fenced write to " + target + " was refused: a newer fencing token (" + newest
                + ") of its lock has been issued, so this holder lost the lock; nothing was written, "
                + "take the lock again");
        this.newest = newest;
    }

    /** The newest token of the lock the script knew of. */
    public long newest() {
        return newest;
    }
}
