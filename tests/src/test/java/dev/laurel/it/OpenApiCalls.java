package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.laurel.it.OpenApiDoc.Op;
import dev.laurel.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Calls the API as api/openapi.yaml documents it, and asserts that answers are as documented. */
final class OpenApiCalls {
    static final OpenApiDoc DOC = OpenApiDoc.api();
    /** Fields whose values the API generates anew on every call (compared by presence only). */
    static final Set<String> GENERATED = Set.of("entryId", "redemptionId", "code", "token", "referralCode", "donationId");

    private OpenApiCalls() {
    }

    static void assertAccepted(JsonNode schema, JsonNode value) {
        assertThat(DOC.schemas.validate(schema, value)).as("accepts " + value).isEmpty();
    }

    static void assertRejected(String what, JsonNode schema, JsonNode value) {
        assertThat(DOC.schemas.validate(schema, value)).as("rejects " + what + ": " + value).isNotEmpty();
    }

    static JsonNode with(JsonNode node, Consumer<JsonNode> change) {
        JsonNode copy = node.deepCopy();
        change.accept(copy);
        return copy;
    }

    static JsonNode schemaRef(String name) {
        return Json.object().put("$ref", "#/components/schemas/" + name);
    }


    static JsonNode byTimeAndId(JsonNode outbox) {
        List<JsonNode> items = new ArrayList<>();
        outbox.path("notifications").forEach(items::add);
        items.sort(Comparator.comparing((JsonNode n) -> n.path("at").asText()).thenComparing(n -> n.path("id").asText()));
        ObjectNode out = Json.object();
        out.putArray("notifications").addAll(items);
        out.set("deadLetters", outbox.path("deadLetters"));
        return out;
    }

    /** A scheduled function's answer validates against its schema and, if {@code example} is given, is that runSchedule example's output. */
    static void assertRunAsDocumented(JsonNode answer, String schema, String example) {
        List<String> failures = new ArrayList<>();
        DOC.check(schema + " " + answer, schemaRef(schema), answer, failures);
        assertThat(failures).isEmpty();
        if (example != null) {
            JsonNode documented = DOC.responseExamples(DOC.op("runSchedule"), "200").get(example);
            assertThat(documented).as("runSchedule example " + example).isNotNull();
            assertSameAsExample("runSchedule output " + example, answer, documented.get("output"));
        }
    }

    /** As {@link #assertDocumented}, and the body equals the response example {@code example} up to generated ids. */
    static void assertDocumentedAs(Op op, Api.Reply r, int status, String example) {
        assertDocumented(op, r, status);
        JsonNode documented = DOC.responseExamples(op, Integer.toString(status)).get(example);
        assertThat(documented).as(op + " example " + status + " " + example).isNotNull();
        assertSameAsExample(op + " answer " + example, r.body(), documented);
    }

    /** Generated ids (as {@code Ids.next} makes them, also inside {@code exp-...} and notification ids) and timings. */
    static final Pattern GENERATED_ID = Pattern.compile("\\b[0-9a-hjkmnp-tv-z]{22}\\b");

    static void assertSameAsExample(String what, JsonNode actual, JsonNode documented) {
        assertThat(sameJson(masked(actual), masked(documented)))
                .as(what + ":\n actual     " + actual + "\n documented " + documented).isTrue();
    }

    static JsonNode masked(JsonNode node) {
        JsonNode copy = withoutGenerated(node);
        mask(copy);
        return copy;
    }

    static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("ms")) {
                o.put("ms", 0);
            }
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                if (o.get(f).isTextual()) {
                    o.put(f, GENERATED_ID.matcher(o.get(f).textValue()).replaceAll("<id>"));
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(GENERATED_ID.matcher(a.get(i).textValue()).replaceAll("<id>")));
                }
            }
        }
        node.forEach(OpenApiCalls::mask);
    }

    static boolean documentsReplays(Op op, int status) {
        return DOC.deref(op.node().path("responses").path(Integer.toString(status))).path("headers").has("Idempotent-Replayed");
    }

    /** The reply's status is documented for the operation, and its body and headers match the documentation. */
    static void assertDocumented(Op op, Api.Reply r, int expectedStatus) {
        assertThat(r.status()).as(op + ": " + r).isEqualTo(expectedStatus);
        JsonNode response = DOC.deref(op.node().path("responses").path(Integer.toString(r.status())));
        assertThat(response.isMissingNode()).as(op + " does not document " + r.status() + ": " + r).isFalse();
        String type = r.headers().getOrDefault("content-type", "application/json");
        JsonNode schema = response.at("/content/" + (type.equals("image/svg+xml") ? "image~1svg+xml" : "application~1json") + "/schema");
        List<String> failures = new ArrayList<>();
        DOC.check(op + " answer " + r.status() + " " + r.body(), schema, r.body(), failures);
        response.path("headers").fields().forEachRemaining(h -> {
            String value = r.headers().get(h.getKey().toLowerCase(java.util.Locale.ROOT));
            if (!h.getKey().equals("Idempotent-Replayed") && value == null) {
                failures.add(op + " answer " + r.status() + " lacks header " + h.getKey());
            }
            if (value != null) {
                DOC.check(op + " header " + h.getKey(), DOC.deref(h.getValue()).get("schema"), TextNode.valueOf(value), failures);
            }
        });
        assertThat(failures).isEmpty();
    }

    static Api.Reply call(Api api, Op op, Map<String, String> ids, Object body, Map<String, String> headers, String key) {
        String path = path(op, ids);
        List<String> query = new ArrayList<>();
        for (JsonNode p : DOC.parameters(op)) {
            // a cursor only ever comes from a previous page
            if (p.path("in").asText().equals("query") && !p.path("name").asText().equals("cursor")) {
                DOC.examples(p).values().stream().findFirst()
                        .ifPresent(v -> query.add(p.path("name").asText() + "=" + enc(v.asText())));
            }
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        if (body instanceof JsonNode n && n.isTextual()) {
            body = n.asText(); // a CSV example, sent as it is
        }
        return api.call(op.method().toUpperCase(java.util.Locale.ROOT), path, body, key, headers);
    }

    /** The operation's path with each parameter from {@code ids}, else from its documented example. */
    static String path(Op op, Map<String, String> ids) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode p : DOC.parameters(op)) {
            if (p.path("in").asText().equals("path")) {
                String name = p.path("name").asText();
                values.put(name, ids.getOrDefault(name, DOC.examples(p).values().iterator().next().asText()));
            }
        }
        Matcher m = Pattern.compile("\\{([A-Za-z]+)\\}").matcher(op.path());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(enc(values.get(m.group(1))).replace("+", "%20")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Documented header parameters with their example values. */
    static Map<String, String> headerExamples(Op op) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : DOC.parameters(op)) {
            if (p.path("in").asText().equals("header")) {
                DOC.examples(p).values().stream().findFirst().ifPresent(v -> out.put(p.path("name").asText(), v.asText()));
            }
        }
        if (DOC.takesCsv(op)) {
            out.put("Content-Type", "text/csv");
        }
        return out;
    }

    static JsonNode withoutGenerated(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (String f : GENERATED) {
                if (o.has(f)) {
                    o.put(f, "<generated>");
                }
            }
        }
        node.forEach(OpenApiCalls::strip);
    }

    /** JSON equality where numbers are equal by value (YAML's 2 and JSON's 2.0 alike). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbers = (x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue()) : (x.equals(y) ? 0 : 1);
        return a.equals(numbers, b);
    }

}
