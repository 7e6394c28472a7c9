package io.forklift.worker;

/**
 * The fence tokens of one worker process's round trips (see claim.lua): the process's start time,
 * then a trip number, both zero-padded so a later trip's token compares greater as a string, and a
 * worker restarted with the same id starts above its predecessor.
 */
final class FenceTokens {
    private final String epoch = pad(Long.toString(System.currentTimeMillis()), 13);
    private long trip;

    /** The token of the next round trip (the fetcher's, or a claim the dispatcher parks). */
    synchronized String next() {
        return epoch + pad(Long.toString(++trip), 12);
    }

    private static String pad(String digits, int width) {
        return "0".repeat(width - digits.length()) + digits;
    }
}
