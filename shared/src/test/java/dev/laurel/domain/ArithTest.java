package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ArithTest {

    private static void overflows(Executable e) {
        Refused ex = assertThrows(Refused.class, e);
        assertThat(ex.code()).isEqualTo(Refusal.Code.INVALID_REQUEST);
        assertThat(dev.laurel.api.Errors.status(ex.code())).isEqualTo(400);
        assertThat(ex.getMessage()).contains("out of range");
    }

    @Test
    void exactOperations() {
        assertThat(Arith.add(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Arith.subtract(Long.MIN_VALUE + 1, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Arith.multiply(3_037_000_499L, 3_037_000_499L)).isEqualTo(9_223_372_030_926_249_001L);
    }

    @Test
    void overflowIsInvalidRequest() {
        overflows(() -> Arith.add(Long.MAX_VALUE, 1));
        overflows(() -> Arith.subtract(Long.MIN_VALUE, 1));
        overflows(() -> Arith.multiply(Long.MAX_VALUE / 2 + 1, 2));
        overflows(() -> Arith.multiply(3_037_000_500L, 3_037_000_500L));
        overflows(() -> Arith.multiplyFloor(Arith.MAX_POINTS, new BigDecimal("1.0001")));
        overflows(() -> Arith.multiplyFloor(Long.MAX_VALUE, BigDecimal.TEN));
    }

    @Test
    void multiplyFloorIsExactForDecimals() {
        assertThat(Arith.multiplyFloor(129, new BigDecimal("1.5"))).isEqualTo(193);
        assertThat(Arith.multiplyFloor(100, new BigDecimal("0.29"))).as("0.29 * 100 is 28.999... in double").isEqualTo(29);
        assertThat(Arith.multiplyFloor(3, new BigDecimal("0.3333"))).isEqualTo(0);
        assertThat(Arith.multiplyFloor(10_000, new BigDecimal("0.3333"))).isEqualTo(3333);
        assertThat(Arith.multiplyFloor(9_999, new BigDecimal("0.0001"))).isEqualTo(0);
        assertThat(Arith.multiplyFloor(10_000, new BigDecimal("0.0001"))).isEqualTo(1);
        assertThat(Arith.multiplyFloor(Arith.MAX_POINTS, BigDecimal.ONE)).isEqualTo(Arith.MAX_POINTS);
        assertThat(Arith.multiplyFloor(999_999_999_999L, new BigDecimal("9.9999"))).isEqualTo(9_999_899_999_990L);
        assertThat(Arith.multiplyFloor(0, new BigDecimal("100"))).isZero();
    }

    @Test
    void multiplyFloorProperty() {
        long seed = 4242;
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            long v = rnd.nextInt(3) == 0 ? rnd.nextLong(100_000_000_000L) : rnd.nextInt(100_000);
            BigDecimal f = BigDecimal.valueOf(1 + rnd.nextInt(1_000_000), 4); // 0.0001 .. 100.0000
            long got = Arith.multiplyFloor(v, f);
            BigInteger scaled = BigInteger.valueOf(v).multiply(f.unscaledValue()); // v * f * 10^4
            String ctx = "seed " + seed + " case " + i + ": " + v + " x " + f;
            // got <= v*f < got + 1, checked in integers
            assertThat(BigInteger.valueOf(got).multiply(BigInteger.TEN.pow(4))).as(ctx).isLessThanOrEqualTo(scaled);
            assertThat(BigInteger.valueOf(got + 1).multiply(BigInteger.TEN.pow(4))).as(ctx).isGreaterThan(scaled);
        }
    }

    @Test
    void mulDivFloorHasNoIntermediateOverflow() {
        assertThat(Arith.mulDivFloor(Arith.MAX_POINTS, Arith.MAX_MINOR, Arith.MAX_MINOR)).isEqualTo(Arith.MAX_POINTS);
        assertThat(Arith.mulDivFloor(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(Arith.mulDivFloor(129, 6500, 12999)).isEqualTo(64);
        assertThat(Arith.mulDivFloor(7, 1, 2)).isEqualTo(3);
        assertThrows(IllegalArgumentException.class, () -> Arith.mulDivFloor(1, 1, 0));
    }

    @Test
    void mulDivFloorProperty() {
        long seed = 77;
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            long v = rnd.nextLong(Arith.MAX_POINTS);
            long d = 1 + rnd.nextLong(Arith.MAX_MINOR);
            long n = rnd.nextLong(d + 1);
            long got = Arith.mulDivFloor(v, n, d);
            BigDecimal exact = BigDecimal.valueOf(v).multiply(BigDecimal.valueOf(n))
                    .divide(BigDecimal.valueOf(d), 0, RoundingMode.FLOOR);
            assertThat(got).as("seed %d case %d: %d x %d / %d", seed, i, v, n, d).isEqualTo(exact.longValueExact()).isLessThanOrEqualTo(v);
        }
    }

    /** Products that fit in 64 bits (the long path) and ones that do not (BigInteger), of either sign: the exact floor. */
    @Test
    void mulDivFloorMatchesExactFloorAcrossPaths() {
        long seed = 78;
        Random rnd = new Random(seed);
        long[] magnitudes = {100, 100_000, 3_037_000_499L, Arith.MAX_MINOR, Long.MAX_VALUE};
        for (int i = 0; i < 20_000; i++) {
            long v = rnd.nextLong(magnitudes[rnd.nextInt(magnitudes.length)]) * (rnd.nextBoolean() ? 1 : -1);
            long n = rnd.nextLong(magnitudes[rnd.nextInt(magnitudes.length)]) * (rnd.nextBoolean() ? 1 : -1);
            long d = 1 + rnd.nextLong(magnitudes[rnd.nextInt(magnitudes.length)] - 1);
            BigInteger exact = new BigDecimal(BigInteger.valueOf(v).multiply(BigInteger.valueOf(n)))
                    .divide(BigDecimal.valueOf(d), 0, RoundingMode.FLOOR).toBigIntegerExact();
            if (exact.bitLength() > 63) {
                overflows(() -> Arith.mulDivFloor(v, n, d));
            } else {
                assertThat(Arith.mulDivFloor(v, n, d)).as("seed %d case %d: %d x %d / %d", seed, i, v, n, d)
                        .isEqualTo(exact.longValueExact());
            }
        }
    }

    /**
     * Latent BUG: when the quotient does not fit in 64 bits, mulDivFloor throws a bare
     * ArithmeticException (from BigInteger.longValueExact), which the HTTP layer would answer as
     * a 5xx, instead of the Refused INVALID_REQUEST every other Arith overflow gives.
     */
    @Test
    void mulDivFloorOverflowIsInvalidRequest() {
        overflows(() -> Arith.mulDivFloor(Long.MAX_VALUE, 4, 2));
    }

    /**
     * Latent BUG: "floor" is implemented with BigInteger.divide, which truncates toward zero, so
     * negative quotients round up (-7/2 gives -3, floor is -4). No current caller passes a
     * negative value.
     */
    @Test
    void mulDivFloorFloorsNegativeQuotients() {
        assertThat(Arith.mulDivFloor(-7, 1, 2)).isEqualTo(-4);
    }
}
