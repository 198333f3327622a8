package dev.laurel.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Overflow-checked integer arithmetic for points and money. Every sum or product of points or
 * minor units goes through here, so an overflow is a clear 400 rather than a silent wrap.
 */
public final class Arith {
    /** Largest amount of money in minor units the API accepts (10^13: 100 billion units of any currency). */
    public static final long MAX_MINOR = 10_000_000_000_000L;
    /** Largest number of points any single value may hold (10^13). */
    public static final long MAX_POINTS = 10_000_000_000_000L;

    private static final BigDecimal MAX_POINTS_DECIMAL = BigDecimal.valueOf(MAX_POINTS);

    private Arith() {
    }

    public static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    public static long subtract(long a, long b) {
        try {
            return Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    public static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    /** floor(value × factor) for an exact decimal factor, checked to fit in points. */
    public static long multiplyFloor(long value, BigDecimal factor) {
        BigDecimal product = BigDecimal.valueOf(value).multiply(factor).setScale(0, RoundingMode.FLOOR);
        if (product.compareTo(MAX_POINTS_DECIMAL) > 0) {
            throw overflow();
        }
        return product.longValueExact();
    }

    /** floor(value × numerator / denominator) without intermediate overflow. */
    public static long mulDivFloor(long value, long numerator, long denominator) {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        long low = value * numerator;
        if (Math.multiplyHigh(value, numerator) == (low >> 63)) {
            return Math.floorDiv(low, denominator); // the product fits in 64 bits: the same floor, without BigInteger
        }
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(numerator))
                .divideAndRemainder(java.math.BigInteger.valueOf(denominator));
        java.math.BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(java.math.BigInteger.ONE) : qr[0];
        if (q.bitLength() > 63) {
            throw overflow();
        }
        return q.longValue();
    }

    private static Refused overflow() {
        return new Refused(Refusal.Code.INVALID_REQUEST, "amount out of range: the computation exceeds the largest supported value");
    }
}
