package dev.laurel.it;

/**
 * The test command's budget (10 minutes on a 2-core machine): a few tests prove a property at a
 * size that takes long on DynamoDB Local. By default they run a smaller size that still crosses
 * the same boundary (several continuation calls, more than 13 months of order buckets); with
 * {@code -Dlaurel.long=true} they run at full size. README "Tests" lists them.
 */
public final class LongRuns {
    private LongRuns() {
    }

    /** Whether {@code -Dlaurel.long=true} was given. */
    public static boolean on() {
        return Boolean.getBoolean("laurel.long");
    }

    /** {@code full} with {@code -Dlaurel.long=true}, {@code quick} otherwise. */
    public static int size(int quick, int full) {
        return on() ? full : quick;
    }
}
