package dev.laurel.json;

import dev.laurel.domain.Refused;
import dev.laurel.domain.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects every validation problem found in one request, each with its JSON path. */
public final class Problems {
    /** Enough to show a caller everything wrong with a large definition, bounded so an error stays small. */
    private static final int MAX_REPORTED = 100;
    private final List<Map<String, String>> list = new ArrayList<>();
    private int count;

    public void add(String field, String message) {
        count++;
        if (list.size() < MAX_REPORTED) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("field", field);
            p.put("message", message);
            list.add(p);
        }
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int count() {
        return count;
    }

    /** Throws 400 {@code invalid_request} naming the first field and listing every problem, if any were found. */
    public void throwIfAny() {
        if (count == 0) {
            return;
        }
        Map<String, String> first = list.get(0);
        String message = first.get("field").isEmpty() ? first.get("message") : first.get("field") + ": " + first.get("message");
        if (count > 1) {
            message += " (and " + (count - 1) + " more problem" + (count > 2 ? "s" : "") + ")";
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", first.get("field"));
        details.put("errors", List.copyOf(list));
        throw new Refused(Refusal.Code.INVALID_REQUEST, message, details);
    }
}
