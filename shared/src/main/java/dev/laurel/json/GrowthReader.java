package dev.laurel.json;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Charity;
import dev.laurel.domain.Program.Velocity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The readers of a program's donation and fraud-limit fields (API.md Part 2 "Donations", "Fraud
 * limits"), as {@link ProgramReader} reads the rest: every problem with its JSON path.
 */
final class GrowthReader {
    /** The most earn calls per member and hour a limit may allow. */
    static final long MAX_EVENTS_PER_HOUR = 1_000_000;

    private GrowthReader() {
    }

    /** {@code charities}: [{id, name, pointValueMinor, status?}], ids unique. */
    static List<Charity> charities(Obj o, Problems problems) {
        List<Obj> items = o.objects("charities", false, Program.MAX_CHARITIES);
        List<Charity> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Obj c : items) {
            String id = c.id("id", true);
            if (id != null && !seen.add(id)) {
                problems.add(c.path("id"), "duplicate charity id " + id);
            }
            String name = c.string("name", true, 200);
            Long value = c.integer("pointValueMinor", true, 1, Arith.MAX_MINOR);
            Program.Status status = Program.Status.of(c.oneOf("status", false, Set.of("active", "disabled")));
            c.end();
            out.add(new Charity(id, name, value == null ? 1 : value, status));
        }
        return out;
    }

    /** {@code velocity}: {eventsPerCustomerPerHour?, pointsPerCustomerPerDay?}, at least one; null when absent. */
    static Velocity velocity(Obj o) {
        Obj v = o.obj("velocity", false);
        if (v == null) {
            return null;
        }
        Long events = v.integer("eventsPerCustomerPerHour", false, 1, MAX_EVENTS_PER_HOUR);
        Long points = v.integer("pointsPerCustomerPerDay", false, 1, Arith.MAX_POINTS);
        if (!v.has("eventsPerCustomerPerHour") && !v.has("pointsPerCustomerPerDay")) {
            v.problems().add(v.path(), "needs eventsPerCustomerPerHour, pointsPerCustomerPerDay, or both");
        }
        v.end();
        return new Velocity(events, points);
    }

    /** {@code "consent": {"doubleOptIn": true}} (API.md Part 2 "Consent: double opt-in"); absent: false. */
    static boolean doubleOptIn(Obj o) {
        Obj consent = o.obj("consent", false);
        if (consent == null) {
            return false;
        }
        boolean on = Boolean.TRUE.equals(consent.bool("doubleOptIn", true));
        consent.end();
        return on;
    }

    /** {@code tierPolicy}: {window, downgrade}, both required; the default (lifetime, never) when absent. */
    static Program.TierPolicy tierPolicy(Obj o) {
        Obj t = o.obj("tierPolicy", false);
        if (t == null) {
            return Program.TierPolicy.DEFAULT;
        }
        String window = t.oneOf("window", true, dev.laurel.domain.TierWindow.Window.WIRE.keySet());
        String downgrade = t.oneOf("downgrade", true, dev.laurel.domain.TierWindow.Downgrade.WIRE.keySet());
        if ("lifetime".equals(window) && "end_of_window".equals(downgrade)) {
            t.problems().add(t.path("downgrade"), "must be never with the lifetime window (a lifetime window never ends)");
        }
        t.end();
        if (window == null || downgrade == null) {
            return Program.TierPolicy.DEFAULT;
        }
        return new Program.TierPolicy(dev.laurel.domain.TierWindow.Window.WIRE.get(window),
                dev.laurel.domain.TierWindow.Downgrade.WIRE.get(downgrade));
    }
}
