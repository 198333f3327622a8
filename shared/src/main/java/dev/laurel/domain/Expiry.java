package dev.laurel.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Lot expiry: the end of the last valid day in the program's zone, DST-safe. */
public final class Expiry {
    private Expiry() {
    }

    /** The instant the given local day ends (the start of the next day), whatever the offset change. */
    public static Instant endOfDay(LocalDate lastValidDay, ZoneId zone) {
        return lastValidDay.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
