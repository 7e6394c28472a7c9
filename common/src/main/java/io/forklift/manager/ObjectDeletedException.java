package io.forklift.manager;

import io.forklift.ForkliftException;

/** The shared object was deleted ({@code m.delete}, {@code m.clear}) after this proxy opened it. */
public class ObjectDeletedException extends ForkliftException {
    public ObjectDeletedException(ObjectRef ref) {
        super(ref + " was deleted; open it again (e.g. m.queue(name)) to make a new one");
    }
}
