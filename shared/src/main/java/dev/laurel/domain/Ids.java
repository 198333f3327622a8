package dev.laurel.domain;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Generated identifiers: time-sortable entry ids and unguessable one-time reward codes. */
public final class Ids {
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    private static long lastMillis = -1;
    private static long lastRandom;

    /**
     * A new id that sorts by creation time: a millisecond base32 prefix and a 60-bit suffix that
     * is random for a new millisecond and incremented within one (monotonic, as ULIDs), so ids
     * made by one process in the same millisecond still sort in the order they were made.
     */
    public static String next(long millis) {
        long random;
        synchronized (Ids.class) {
            if (millis > lastMillis) {
                lastMillis = millis;
                lastRandom = ThreadLocalRandom.current().nextLong() >>> 5;
            } else {
                millis = lastMillis;
                lastRandom++;
            }
            random = lastRandom;
        }
        StringBuilder sb = new StringBuilder(22);
        for (int shift = 45; shift >= 0; shift -= 5) {
            sb.append(BASE32[(int) ((millis >>> shift) & 31)]);
        }
        for (int shift = 55; shift >= 0; shift -= 5) {
            sb.append(BASE32[(int) ((random >>> shift) & 31)]);
        }
        return sb.toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** A one-time reward code such as {@code K7QM-3XZP-9D2T} (60 bits from a secure random source). */
    public static String rewardCode() {
        SecureRandom r = Holder.RANDOM;
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(BASE32[r.nextInt(32)]);
        }
        return sb.toString();
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
