package dev.laurel.it.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.it.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares a real answer with the model's {@link Expect}: status, code, and each field as the model writes it. */
final class Compare {
    private Compare() {
    }

    /** The first difference as "signature|message", or null. */
    static String answer(String k, Api.Reply r, Expect e) {
        if (r.status() != e.status || (e.code != null && !e.code.equals(r.code()))) {
            return k + ":status|answered " + r + "; model " + e;
        }
        for (Map.Entry<String, String> x : e.fields.entrySet()) {
            String path = x.getKey();
            boolean optional = path.endsWith("?");
            String p = optional ? path.substring(0, path.length() - 1) : path;
            String actual = render(r.body(), p);
            if (optional && actual.equals(Expect.ABSENT) && x.getValue().equals("0")) {
                continue;
            }
            if (!actual.equals(x.getValue())) {
                return k + ":" + p + "|" + p + " is " + actual + ", model " + x.getValue() + "; answered " + r + "; model " + e;
            }
        }
        return null;
    }

    /** A field of an answer as the model writes it; lists as one line. */
    static String render(JsonNode body, String path) {
        String[] parts = path.split("#");
        JsonNode n = body;
        for (String s : parts[0].split("\\.")) {
            n = n == null ? null : n.get(s);
        }
        if (n == null) {
            return Expect.ABSENT;
        }
        if (!n.isArray()) {
            return n.isNull() ? "null" : n.asText();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode i : n) {
            out.add(switch (parts[0] + (parts.length > 1 ? "#" + parts[1] : "")) {
                case "breakdown" -> (i.has("ruleId") ? i.path("ruleId").asText() : "tier:" + i.path("tierId").asText()) + ":"
                        + i.path("points").asText() + (i.has("capped") ? ":" + i.path("capped").asText() : "");
                case "expiring" -> i.path("points").asText() + "@" + i.path("on").asText();
                case "pending" -> i.path("points").asText() + "@" + i.path("availableAt").asText();
                case "rewards#wallet" -> i.path("rewardId").asText() + ":" + i.path("affordable").asText() + ":"
                        + i.path("eligible").asText();
                case "rewards#validate" -> {
                    List<String> reasons = new ArrayList<>();
                    i.path("reasons").forEach(x -> reasons.add(x.asText()));
                    yield i.path("rewardId").asText() + ":" + i.path("valid").asText() + ":"
                            + String.join("+", reasons.stream().sorted().toList()) + ":" + i.path("discountMinor").asText()
                            + ":" + i.path("cost").asText();
                }
                default -> i.toString();
            });
        }
        return String.join(",", out);
    }
}
