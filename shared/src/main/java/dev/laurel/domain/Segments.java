package dev.laurel.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The program's named segments (API.md "Campaigns, segments and tiers"): which a member is in, decided
 * on read from the conditions parsed once with the program, and the rule that segments name no
 * cycle (a segment may name others, never itself through any chain).
 */
public final class Segments {
    private Segments() {
    }

    /** The ids of the segments {@code c} is in at {@code now}, in the program's order (no event, no order: as the wallet reads). */
    public static List<String> of(Program program, Customer c, Instant now) {
        if (program.segments().isEmpty()) {
            return List.of();
        }
        Event at = new Event("segment.check", "-", now, null, Map.of());
        Condition.Facts facts = new Condition.Facts(c.facts(program.timezone(), now), at.facts(program.timezone()), Map.of())
                .segments(program::segment);
        List<String> out = new ArrayList<>();
        for (Program.Segment s : program.segments()) {
            if (facts.inSegment(s.id())) {
                out.add(s.id());
            }
        }
        return List.copyOf(out);
    }

    /** The segment ids {@code c} names directly. */
    public static Set<String> named(Condition c) {
        Set<String> out = new HashSet<>();
        if (c != null) {
            Condition.segmentsNamed(c, out);
        }
        return out;
    }

    /**
     * The first segment of {@code whens} (id to condition) that reaches itself through the segments
     * it names, with the chain ({@code a -> b -> a}); null when there is no cycle.
     */
    public static List<String> cycle(Map<String, Condition> whens) {
        Map<String, Integer> state = new LinkedHashMap<>(); // 1 on the path, 2 done
        for (String id : whens.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(id, whens, state, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<String> visit(String id, Map<String, Condition> whens, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return null;
        }
        path.add(id);
        if (s != null) {
            return List.copyOf(path.subList(path.indexOf(id), path.size()));
        }
        state.put(id, 1);
        for (String next : named(whens.get(id))) {
            if (whens.containsKey(next)) {
                List<String> found = visit(next, whens, state, path);
                if (found != null) {
                    return found;
                }
            }
        }
        state.put(id, 2);
        path.remove(path.size() - 1);
        return null;
    }
}
