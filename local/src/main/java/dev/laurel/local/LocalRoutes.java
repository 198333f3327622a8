package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Refused;
import dev.laurel.domain.Refusal;
import dev.laurel.json.Json;
import dev.laurel.notify.Notification;
import dev.laurel.notify.Outbox;
import dev.laurel.store.Records;
import dev.laurel.store.dynamodb.ScheduledStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local-only routes of API.md ({@link LocalServer}): {@code GET/POST /local/clock},
 * {@code GET /local/schedules}, {@code POST /local/schedules/{name}/run}, {@code POST /local/streams/drain},
 * {@code GET /local/outbox}.
 */
final class LocalRoutes {
    private static final Pattern SCHEDULE_RUN = Pattern.compile("^/local/schedules/([^/]+)/run$");
    private static final Set<String> CLOCK_FIELDS = Set.of("now", "advance", "frozen");

    private final LocalClock clock;
    private final Outbox outbox;
    private final ScheduledStore scheduledStore;
    private final Schedules schedules;
    private final LocalStreams streams;
    private final PrintStream log;

    LocalRoutes(LocalClock clock, Outbox outbox, ScheduledStore scheduledStore, Schedules schedules, LocalStreams streams,
                PrintStream log) {
        this.streams = streams;
        this.clock = clock;
        this.outbox = outbox;
        this.scheduledStore = scheduledStore;
        this.schedules = schedules;
        this.log = log;
    }

    HttpApi.Response handle(String method, String path, byte[] body) {
        try {
            if (path.equals("/local/clock")) {
                if (method.equals("GET")) {
                    return ok(clockState());
                }
                allow(method, "POST");
                return ok(moveClock(body));
            }
            if (path.equals("/local/streams/drain")) {
                allow(method, "POST");
                if (streams == null) {
                    throw new Refused(Refusal.Code.NOT_FOUND, "template.yaml gives the table's stream to no function");
                }
                LocalStreams.Drained d = streams.drain();
                ObjectNode out = Json.object();
                out.put("records", d.records());
                out.put("invocations", d.invocations());
                return ok(out);
            }
            if (path.equals("/local/outbox")) {
                allow(method, "GET");
                ObjectNode out = Json.object();
                ArrayNode list = out.putArray("notifications");
                for (Outbox.Sent sent : outbox.all()) {
                    Notification n = sent.notification();
                    ObjectNode o = list.addObject();
                    o.put("id", n.id());
                    o.put("programId", n.programId());
                    o.put("customerId", n.customerId());
                    o.put("type", n.type());
                    o.put("at", sent.at().toString());
                    o.set("payload", n.payload());
                }
                // reminders that could not be delivered (a webhook that kept failing), newest first
                ArrayNode dead = out.putArray("deadLetters");
                for (Records.DeadLetter d : scheduledStore.deadLetters(LocalServer.TENANT, 100)) {
                    dead.addObject().put("id", d.notificationId()).put("programId", d.programId())
                            .put("customerId", d.customerId()).put("type", d.type()).put("attempts", d.attempts())
                            .put("error", d.error()).put("at", d.at().toString());
                }
                return ok(out);
            }
            if (path.equals("/local/schedules")) {
                allow(method, "GET");
                ObjectNode out = Json.object();
                ArrayNode list = out.putArray("schedules");
                for (Schedules.Entry e : schedules.entries()) {
                    Template.Schedule d = e.definition();
                    ObjectNode o = list.addObject();
                    o.put("name", d.name());
                    o.put("function", d.function());
                    o.put("expression", d.expression());
                    o.put("timezone", d.zone().getId());
                    o.put("enabled", d.enabled());
                    Instant next = e.next();
                    if (next != null) {
                        o.put("next", next.toString());
                    }
                    if (e.problem() != null) {
                        o.put("problem", e.problem());
                    }
                }
                return ok(out);
            }
            Matcher m = SCHEDULE_RUN.matcher(path);
            if (m.matches()) {
                allow(method, "POST");
                String name = m.group(1);
                if (schedules.entry(name).isEmpty()) {
                    List<String> known = schedules.entries().stream().map(e -> e.definition().name()).toList();
                    throw new Refused(Refusal.Code.NOT_FOUND, "no schedule named " + name + " in template.yaml ("
                            + (known.isEmpty() ? "it declares none" : "it declares " + String.join(", ", known)) + ")");
                }
                try {
                    Schedules.Run run = schedules.runNow(name);
                    ObjectNode out = Json.object();
                    out.put("schedule", run.name());
                    out.put("function", run.function());
                    out.put("time", run.time().toString());
                    out.put("ms", run.ms());
                    out.set("output", run.output());
                    return ok(out);
                } catch (Functions.FunctionError e) {
                    log.println("error: " + e.getMessage());
                    if (e.getCause() != null) {
                        e.getCause().printStackTrace(log);
                    }
                    throw new Refused(Refusal.Code.INTERNAL, e.getMessage());
                }
            }
            throw new Refused(Refusal.Code.NOT_FOUND, "no local route " + path
                    + " (there are POST /local/clock, POST /local/schedules/{name}/run, POST /local/streams/drain, GET /local/outbox)");
        } catch (Refused e) {
            dev.laurel.api.Response r = dev.laurel.api.Response.error(e.refusal());
            return new HttpApi.Response(r.status(), List.of(Map.entry("content-type", "application/json")),
                    r.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new Refused(Refusal.Code.METHOD_NOT_ALLOWED, "use " + allowed);
        }
    }

    private ObjectNode clockState() {
        ObjectNode out = Json.object();
        out.put("now", clock.instant().toString());
        out.put("frozen", clock.frozen());
        return out;
    }

    private ObjectNode moveClock(byte[] raw) {
        JsonNode body = Json.parse(new String(raw, StandardCharsets.UTF_8));
        if (!body.isObject()) {
            throw Refused.invalid("", "must be an object like {\"now\": \"2027-01-01T00:00:00Z\"}");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!CLOCK_FIELDS.contains(f)) {
                throw Refused.invalid(f, "unknown field (use now, advance, frozen)");
            }
        }
        JsonNode now = body.get("now");
        JsonNode advance = body.get("advance");
        JsonNode frozen = body.get("frozen");
        if ((now == null) == (advance == null)) {
            throw Refused.invalid(now == null ? "now" : "advance", "give either now (an instant) or advance (an ISO-8601 duration)");
        }
        if (frozen != null && !frozen.isBoolean()) {
            throw Refused.invalid("frozen", "must be true or false");
        }
        boolean freeze = frozen == null ? clock.frozen() : frozen.asBoolean();
        if (now != null) {
            if (!now.isTextual()) {
                throw Refused.invalid("now", "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
            clock.set(instant(now.asText()), freeze);
        } else {
            if (!advance.isTextual()) {
                throw Refused.invalid("advance", "must be an ISO-8601 duration such as PT2H or P30D");
            }
            Duration d;
            try {
                d = Duration.parse(advance.asText());
            } catch (DateTimeParseException e) {
                throw Refused.invalid("advance", "must be an ISO-8601 duration such as PT2H or P30D");
            }
            clock.advance(d);
            if (freeze != clock.frozen()) {
                clock.set(clock.instant(), freeze);
            }
        }
        ObjectNode out = clockState();
        ArrayNode ran = out.putArray("ran");
        schedules.tick().forEach(ran::add);
        return out;
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw Refused.invalid("now", "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
    }

    private static HttpApi.Response ok(JsonNode body) {
        return new HttpApi.Response(200, List.of(Map.entry("content-type", "application/json")),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
