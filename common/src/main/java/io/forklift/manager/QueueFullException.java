package io.forklift.manager;

import io.forklift.ForkliftException;

/** Python's {@code queue.Full}: a put without blocking, or whose timeout ran out, found the queue full. */
public class QueueFullException extends ForkliftException {
    public QueueFullException(ObjectRef queue, int maxsize) {
        super(queue + " is full (maxsize " + maxsize + ")");
    }
}
