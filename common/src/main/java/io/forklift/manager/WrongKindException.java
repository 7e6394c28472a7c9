package io.forklift.manager;

import io.forklift.ForkliftException;

/** A name holds a shared object of another kind than the one asked for; nothing was changed. */
public class WrongKindException extends ForkliftException {
    public WrongKindException(String manager, String name, String asked, String is) {
        super("'" + name + "' of manager '" + manager + "' is a " + is + ", not a " + asked + "; open it as a " + is
                + ", or use another name (m.delete(\"" + name + "\") removes it)");
    }
}
