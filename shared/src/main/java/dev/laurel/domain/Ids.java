package dev.laurel.domain;

import java.security.SecureRandom;

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
                lastRandom = Holder.RANDOM.nextLong() >>> 5; // not ThreadLocalRandom: its state is the same in every copy restored from one snapshot
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

    /**
     * The alphabet of reward codes: digits and capitals without the look-alikes 0/O, 1/I/L, so a
     * code read aloud or typed at a till cannot be misread (31 symbols).
     */
    public static final String CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    /** Random symbols in a reward code: 15 of 31, about 74 bits. */
    public static final int CODE_SYMBOLS = 15;
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile(
            "^LR(-[" + CODE_ALPHABET + "]{5}){3}$");

    /**
     * A one-time reward code such as {@code LR-7QM3X-ZP9D2-TKH4B}: 15 symbols drawn uniformly from
     * {@link #CODE_ALPHABET} by a secure random source (about 74 bits, never guessable at a till).
     */
    public static String rewardCode() {
        SecureRandom r = Holder.RANDOM;
        StringBuilder sb = new StringBuilder(20).append("LR");
        for (int i = 0; i < CODE_SYMBOLS; i++) {
            if (i % 5 == 0) {
                sb.append('-');
            }
            sb.append(CODE_ALPHABET.charAt(r.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * A member's referral code such as {@code 7QM3XZP9D2}: {@link Referral#CODE_SYMBOLS} symbols of
     * {@link #CODE_ALPHABET} by a secure random source. Unique in its program only by the
     * conditional put of its code item (a clash draws again).
     */
    public static String referralCode() {
        SecureRandom r = Holder.RANDOM;
        StringBuilder sb = new StringBuilder(Referral.CODE_SYMBOLS);
        for (int i = 0; i < Referral.CODE_SYMBOLS; i++) {
            sb.append(CODE_ALPHABET.charAt(r.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A code as typed (any case, surrounding blanks) in its one stored form, or null when it cannot be a reward code. */
    public static String normalCode(String typed) {
        if (typed == null || typed.length() > 64) {
            return null;
        }
        String c = typed.strip().toUpperCase(java.util.Locale.ROOT);
        return CODE.matcher(c).matches() ? c : null;
    }

    private static final class Holder {
        static final SecureRandom RANDOM = Entropy.secure();
    }
}
