package dev.laurel.json;

import dev.laurel.domain.Condition;
import dev.laurel.domain.Program;
import dev.laurel.domain.Segments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the program's named segments ({@code segments: [{id, when}]}) and what names them: a
 * {@code {"segment": id}} leaf in any {@code when}, and a reward's {@code segments: [ids]} (the
 * member must be in one of them; it fails with reason {@code segment}, as a reward's {@code when}).
 */
final class SegmentReader {
    private SegmentReader() {
    }

    /** {@code segments}: ids unique, each {@code when} a condition naming only defined segments, no cycle. */
    static List<Program.Segment> read(Obj o, Problems problems) {
        List<Obj> items = o.objects("segments", false, Program.Segment.MAX);
        if (items == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (Obj s : items) {
            String id = s.id("id", true);
            if (id != null && ids.contains(id)) {
                problems.add(s.path("id"), "duplicates segment " + id);
            }
            ids.add(id);
        }
        Set<String> known = new LinkedHashSet<>(ids);
        Map<String, Condition> whens = new LinkedHashMap<>();
        List<Program.Segment> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Obj s = items.get(i);
            Obj w = s.obj("when", true);
            Condition when = w == null ? null : ConditionReader.read(w);
            check(s, when, known);
            s.end();
            String id = ids.get(i);
            if (id != null && when != null && !whens.containsKey(id)) {
                whens.put(id, when);
                out.add(new Program.Segment(id, when));
            }
        }
        List<String> cycle = Segments.cycle(whens);
        if (cycle != null) {
            problems.add(o.path("segments") + "[" + ids.indexOf(cycle.get(0)) + "].when",
                    "segments must not name themselves: " + String.join(" -> ", cycle) + " -> " + cycle.get(0));
        }
        return List.copyOf(out);
    }

    /** Records a problem at {@code owner.when} for each segment {@code when} names that the program does not define. */
    static void check(Obj owner, Condition when, Set<String> known) {
        for (String id : Segments.named(when)) {
            if (!known.contains(id)) {
                owner.problems().add(owner.path("when"), "names segment " + id + ", which the program does not define");
            }
        }
    }

    /** A reward's {@code when} with its {@code segments} restriction (one of them) folded in; checks both name defined segments. */
    static Condition restrict(Obj reward, Condition when, Set<String> known) {
        check(reward, when, known);
        List<String> ids = reward.strings("segments", false, Program.Segment.MAX, Obj.ID);
        if (ids == null) {
            return when;
        }
        List<Condition> any = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!known.contains(ids.get(i))) {
                reward.problems().add(reward.path("segments") + "[" + i + "]", "names no segment of this program");
            }
            any.add(new Condition.InSegment(ids.get(i)));
        }
        if (any.isEmpty()) {
            reward.problems().add(reward.path("segments"), "must not be empty");
            return when;
        }
        Condition in = new Condition.Any(List.copyOf(any));
        return when == null ? in : new Condition.All(List.of(when, in));
    }
}
