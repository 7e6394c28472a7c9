package io.forklift.manager;

/**
 * An object shared through Redis by programs and by tasks on any host. Pass one as a task's
 * argument and the task receives a live proxy of the same object: it travels as its
 * {@link ObjectRef}, and the task's declared argument type decides what it becomes.
 */
public interface SharedObject {
    /** Its reference: manager, name and kind. */
    ObjectRef ref();
}
