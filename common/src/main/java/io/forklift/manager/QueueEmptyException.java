package io.forklift.manager;

import java.util.NoSuchElementException;

/** Python's {@code queue.Empty}: a get without blocking, or whose timeout ran out, found the queue empty. */
public class QueueEmptyException extends NoSuchElementException {
    public QueueEmptyException(ObjectRef queue) {
        super(queue + " is empty");
    }
}
