package dev.laurel.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (Developer Guide, "DynamoDB item sizes and formats"):
 * attribute names and string values in UTF-8 bytes, numbers about one byte per two significant
 * digits plus one, booleans and nulls one byte, lists and maps 3 bytes plus one byte per element.
 */
public final class ItemSize {
    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (var e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return number(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            long size = 3;
            for (var e : v.m().entrySet()) {
                size += utf8(e.getKey()) + value(e.getValue()) + 1;
            }
            return size;
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue x : v.l()) {
                size += value(x) + 1;
            }
            return size;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(ItemSize::number).sum();
        }
        return 0;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String n) {
        BigDecimal d = new BigDecimal(n).stripTrailingZeros();
        int digits = d.signum() == 0 ? 1 : d.precision();
        return (digits + 1) / 2 + 1;
    }

    /** Write units of one item in a transaction: 2 per KiB (rounded up), at least 2. */
    public static long transactionalWcu(long bytes) {
        return 2 * Math.max(1, (bytes + 1023) / 1024);
    }

    /** Read units of one strongly consistent read: 1 per 4 KiB (rounded up), at least 1. */
    public static long consistentRcu(long bytes) {
        return Math.max(1, (bytes + 4095) / 4096);
    }
}
