package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import dev.laurel.app.ExpiryRun;
import dev.laurel.app.ReminderRun;
import dev.laurel.app.Shards;
import dev.laurel.store.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The events a scheduled function is invoked with, and what it answers. EventBridge Scheduler
 * sends the schedule's {@code Input} (template.yaml: {@code {"job", "scheduledTime", ...}}), an
 * EventBridge rule a Scheduled Event ({@code "detail-type": "Scheduled Event"}); either starts a
 * run over every shard up to now. A run that could not finish in its time budget hands the rest
 * to a {@link Continuation}: the same function, invoked again with
 * {@code {"continuation": {"job", "upTo", "shards", "generation"}}}, which works up to the same instant.
 */
public final class Scheduled {
    /** Continuations of one run at most; after that the next scheduled run picks up what is left. */
    public static final int MAX_GENERATIONS = 20;
    /** Time kept back at the end of an invocation to stop cleanly and hand over (a quarter of a shorter one). */
    public static final long MARGIN_MS = 20_000;

    private Scheduled() {
    }

    /** A job over shards up to an instant (an {@link ExpiryRun} or {@link ReminderRun} run). */
    @FunctionalInterface
    public interface Job {
        Outcome run(Instant upTo, List<Integer> shards, LongSupplier remainingMs, long marginMs);
    }

    /** What a run reports: whether it finished, which shards are left, and its figures as JSON. */
    public record Outcome(boolean complete, List<Integer> remainingShards, String json) {
    }

    /** Hands the rest of a run to another invocation (asynchronously). */
    @FunctionalInterface
    public interface Continuation {
        void invoke(String eventJson);

        /** No continuation: what is left waits for the next scheduled run. */
        Continuation NONE = e -> {
        };
    }

    /**
     * Serves one invocation of a scheduled function: reads the event, runs the job, logs its figures
     * (one line, for the function's log) and answers them.
     */
    public static void serve(java.io.InputStream in, java.io.OutputStream out, Clock clock, Job job, LongSupplier remainingMs,
                             Continuation continuation) throws java.io.IOException {
        serve(in, out, clock, job, remainingMs, continuation, null);
    }

    /**
     * As above, with Lambda's request id for the log line ({@link RequestLog}, kind {@code schedule},
     * operation {@code schedule <job>}, the run's figures under {@code run}); a run that throws logs
     * status 500 and fails the invocation.
     */
    public static void serve(java.io.InputStream in, java.io.OutputStream out, Clock clock, Job job, LongSupplier remainingMs,
                             Continuation continuation, String requestId) throws java.io.IOException {
        long startedAtMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        JsonNode event = Json.read(in);
        String answer = null;
        try (dev.laurel.store.Meter meter = dev.laurel.store.Meter.start()) {
            try {
                answer = handle(event, clock, job, remainingMs, continuation);
            } finally {
                String name = answer != null ? Json.read(answer).path("job").asText("run")
                        : event.path("continuation").path("job").asText(event.path("job").asText("run"));
                String id = requestId != null ? requestId : event.path("executionId").asText(event.path("id").asText(null));
                System.out.println(RequestLog.line("schedule", id, null, null, null, "schedule " + name, answer != null ? 200 : 500,
                        answer != null ? null : "internal", startedAtMs, (System.nanoTime() - t0) / 1_000_000, meter, answer));
            }
        }
        out.write(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Runs a job for one invocation's event; returns the answer (the run's figures). */
    public static String handle(JsonNode event, Clock clock, Job job, LongSupplier remainingMs, Continuation continuation) {
        JsonNode cont = event == null ? null : event.get("continuation");
        Instant upTo = clock.instant();
        List<Integer> shards = new ArrayList<>();
        int generation = 0;
        if (cont != null && cont.isObject()) {
            try {
                upTo = Instant.parse(cont.path("upTo").asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("continuation.upTo is not an instant: " + cont.path("upTo"));
            }
            for (JsonNode s : cont.path("shards")) {
                int shard = s.asInt(-1);
                if (shard < 0 || shard >= RunStore.SHARDS) {
                    throw new IllegalArgumentException("continuation.shards holds " + s + ", not a shard");
                }
                shards.add(shard);
            }
            generation = cont.path("generation").asInt(0);
        } else {
            shards.addAll(Shards.all());
        }
        // keep a quarter of a short invocation for handing over, so it still does three quarters' work
        long margin = Math.min(MARGIN_MS, Math.max(0, remainingMs.getAsLong()) / 4);
        Outcome out = job.run(upTo, shards, remainingMs, margin);
        ObjectNode answer = (ObjectNode) Json.read(out.json());
        answer.put("generation", generation);
        if (!out.complete()) {
            if (generation + 1 <= MAX_GENERATIONS) {
                ObjectNode next = Json.object();
                ObjectNode c = next.putObject("continuation").put("job", answer.path("job").asText())
                        .put("upTo", upTo.toString()).put("generation", generation + 1);
                var left = c.putArray("shards");
                out.remainingShards().forEach(left::add);
                try {
                    continuation.invoke(Json.write(next));
                    answer.put("continued", true);
                } catch (RuntimeException e) {
                    // what is left stays due in the index: the next scheduled run takes it
                    answer.put("continued", false).put("continuationError", String.valueOf(e.getMessage()));
                    System.err.println("WARN could not continue the run up to " + upTo + " (shards " + out.remainingShards()
                            + " are left for the next scheduled run): " + e);
                }
            } else {
                answer.put("continued", false);
                System.err.println("WARN run up to " + upTo + " stopped after " + MAX_GENERATIONS
                        + " continuations; the next scheduled run takes shards " + out.remainingShards());
            }
        }
        return Json.write(answer);
    }

    /** An expiry run's figures, as the function answers and logs them. */
    public static Outcome of(ExpiryRun.Result r) {
        var o = Json.object().put("job", "expiry").put("upTo", r.upTo().toString()).put("complete", r.complete());
        var left = o.putArray("remainingShards");
        r.remainingShards().forEach(left::add);
        o.put("customers", r.customers()).put("lotsExpired", r.lotsExpired()).put("pointsExpired", r.pointsExpired())
                .put("lotsReleased", r.lotsReleased()).put("pointsReleased", r.pointsReleased()).put("retries", r.retries())
                .put("skipped", r.skipped()).put("failed", r.failed()).put("readUnits", r.readUnits()).put("readRequests", r.readRequests())
                .put("ms", r.ms());
        if (r.codesExpired() > 0) {
            o.put("codesExpired", r.codesExpired()).put("codePointsReturned", r.codePoints());
        }
        return new Outcome(r.complete(), r.remainingShards(), Json.write(o));
    }

    /** A webhook deliveries run's figures, as the function answers and logs them. */
    public static Outcome of(dev.laurel.app.DeliveryRun.Result r, Instant upTo) {
        boolean complete = r.remainingShards().isEmpty();
        var o = Json.object().put("job", "deliveries").put("upTo", upTo.toString()).put("complete", complete);
        var left = o.putArray("remainingShards");
        r.remainingShards().forEach(left::add);
        o.put("claimed", r.claimed()).put("delivered", r.tally().delivered()).put("failed", r.tally().failed())
                .put("dead", r.tally().dead());
        return new Outcome(complete, r.remainingShards(), Json.write(o));
    }

    /** A reminders run's figures, as the function answers and logs them. */
    public static Outcome of(ReminderRun.Result r) {
        var o = Json.object().put("job", "reminders").put("upTo", r.upTo().toString()).put("complete", r.complete());
        var left = o.putArray("remainingShards");
        r.remainingShards().forEach(left::add);
        o.put("recorded", r.recorded()).put("sent", r.sent()).put("retried", r.retried()).put("skipped", r.skipped())
                .put("dead", r.dead()).put("busy", r.busy()).put("failed", r.failed()).put("readUnits", r.readUnits())
                .put("readRequests", r.readRequests())
                .put("ms", r.ms());
        return new Outcome(r.complete(), r.remainingShards(), Json.write(o));
    }
}
