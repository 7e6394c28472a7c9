package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/**
 * Returns a {@link Loud} of its argument: a class with nothing for Jackson to see, which only {@link
 * ShoutModule} writes as text (its argument in capitals).
 */
public final class Shout implements Task<String, Object> {
    @Override
    public Object call(String text, TaskContext ctx) {
        return new Loud(text);
    }

    /** A value with no properties: without {@link ShoutModule}, Jackson writes it as {}. */
    public static final class Loud {
        final String text;

        Loud(String text) {
            this.text = text;
        }
    }
}
