package io.forklift.daemon;

import java.time.Duration;

/**
 * Range checks for the daemons' settings, so a value that cannot work (a zero interval, a TTL that
 * loses every reply, a duration that overflows) is refused once at start-up with a line that names
 * the option and the range, instead of failing later with a stack trace or silently.
 */
public final class Limits {
    private Limits() {}

    /** {@code value} if {@code min <= value <= max}; else an {@link IllegalArgumentException} naming {@code option}. */
    public static Duration between(String option, Duration value, Duration min, Duration max, String why) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + " must be between " + show(min) + " and " + show(max)
                    + (why.isEmpty() ? "" : " (" + why + ")") + ", got " + (value == null ? "nothing" : show(value)));
        }
        return value;
    }

    /** {@code value} if {@code min <= value <= max}; else an {@link IllegalArgumentException} naming {@code option}. */
    public static int between(String option, int value, int min, int max, String why) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max
                    + (why.isEmpty() ? "" : " (" + why + ")") + ", got " + value);
        }
        return value;
    }

    /** ISO-8601, as the options take it: PT5S, PT1H, PT168H. */
    private static String show(Duration d) {
        return d.toString();
    }
}
