package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The template's {@code Schedule}/{@code ScheduleV2} events, run on the local clock. A ticker
 * looks every half second whether a schedule is due; when the clock jumps over several due times
 * (a {@code POST /local/clock}, a laptop waking up) the schedule runs once, for the latest of
 * them, as a missed EventBridge target would be caught up with one invocation. Each run invokes
 * the function with the event EventBridge sends: the schedule's {@code Input} if it has one, else
 * a Scheduled Event whose {@code time} is the scheduled time.
 */
public final class Schedules implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One schedule and when it fires next (null: never again, or disabled). */
    public static final class Entry {
        private final Template.Schedule definition;
        private final ScheduleExpression expression;
        private final String problem;
        private final Instant anchor;
        private Instant next;

        Entry(Template.Schedule definition, Instant anchor) {
            this.definition = definition;
            this.anchor = anchor;
            ScheduleExpression e = null;
            String p = null;
            try {
                e = ScheduleExpression.parse(definition.expression(), definition.zone());
            } catch (IllegalArgumentException ex) {
                p = ex.getMessage();
            }
            this.expression = e;
            this.problem = p;
            this.next = e != null && definition.enabled() ? e.next(anchor, anchor) : null;
        }

        public Template.Schedule definition() {
            return definition;
        }

        public synchronized Instant next() {
            return next;
        }

        public String problem() {
            return problem;
        }
    }

    /** What one run did. */
    public record Run(String name, String function, Instant time, long ms, JsonNode output) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Functions functions;
    private final LocalClock clock;
    private final PrintStream log;
    private Instant lastTick;
    private final Object sleeper = new Object();
    private volatile Thread ticker;
    private volatile boolean running;

    public Schedules(Template template, Functions functions, LocalClock clock, PrintStream log) {
        this.functions = functions;
        this.clock = clock;
        this.log = log;
        Instant now = clock.instant();
        lastTick = now;
        for (Template.Schedule s : template.schedules()) {
            Entry e = new Entry(s, now);
            entries.put(s.name(), e);
            if (e.problem() != null) {
                log.println("warning: schedule " + s.name() + " (" + s.function() + "." + s.event() + ") will not run: " + e.problem());
            }
        }
    }

    /** Starts the ticker (a daemon thread). */
    public synchronized void start() {
        if (ticker != null || entries.isEmpty()) {
            return;
        }
        running = true;
        ticker = new Thread(() -> {
            while (running) {
                try {
                    synchronized (sleeper) {
                        sleeper.wait(500);
                    }
                    if (running) {
                        tick();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.println("error: schedules: " + e);
                }
            }
        }, "laurel-schedules");
        ticker.setDaemon(true);
        ticker.start();
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Runs every schedule that is due on the local clock now; returns their names. */
    public synchronized List<String> tick() {
        Instant now = clock.instant();
        boolean back = now.isBefore(lastTick);
        lastTick = now;
        List<String> ran = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.expression == null || !e.definition.enabled()) {
                continue;
            }
            Instant due;
            synchronized (e) {
                if (back) {
                    // the clock went back: the schedule continues from the new time
                    e.next = e.expression.next(now, e.anchor);
                    continue;
                }
                if (e.next == null || e.next.isAfter(now)) {
                    continue;
                }
                Instant latest = e.expression.latest(now, e.anchor);
                due = latest != null && latest.isAfter(e.next) ? latest : e.next;
                e.next = e.expression.next(now, e.anchor);
            }
            try {
                run(e, due);
            } catch (Functions.FunctionError ex) {
                log.println("error: " + ex.getMessage());
                if (ex.getCause() != null) {
                    ex.getCause().printStackTrace(log);
                }
            }
            ran.add(e.definition.name());
        }
        return ran;
    }

    /** Runs a schedule now, on demand ({@code POST /local/schedules/{name}/run}). */
    public Run runNow(String name) throws Functions.FunctionError {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(name);
        }
        return run(e, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Invokes a schedule's function with a given event (a continuation of an unfinished run). */
    public Run invoke(String name, String eventJson) throws Functions.FunctionError {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no schedule named " + name);
        }
        return invoke(e, clock.instant(), eventJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), UUID.randomUUID().toString());
    }

    private Run run(Entry e, Instant time) throws Functions.FunctionError {
        Template.Schedule s = e.definition;
        String id = UUID.randomUUID().toString();
        byte[] payload;
        try {
            if (s.input() != null) {
                String input = s.input();
                if (s.type().equals("ScheduleV2")) {
                    // EventBridge Scheduler fills in its context attributes in a templated target's input
                    input = input.replace("<aws.scheduler.scheduled-time>", time.truncatedTo(ChronoUnit.SECONDS).toString())
                            .replace("<aws.scheduler.execution-id>", id)
                            .replace("<aws.scheduler.attempt-number>", "1")
                            .replace("<aws.scheduler.schedule-arn>", "arn:aws:scheduler:" + LocalDynamo.REGION.id() + ":"
                                    + HttpApi.ACCOUNT + ":schedule/default/laurel-local-" + s.name());
                }
                payload = input.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                ObjectNode ev = JSON.createObjectNode();
                ev.put("version", "0");
                ev.put("id", id);
                ev.put("detail-type", "Scheduled Event");
                ev.put("source", s.type().equals("ScheduleV2") ? "aws.scheduler" : "aws.events");
                ev.put("account", HttpApi.ACCOUNT);
                ev.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
                ev.put("region", LocalDynamo.REGION.id());
                String arn = s.type().equals("ScheduleV2")
                        ? "arn:aws:scheduler:" + LocalDynamo.REGION.id() + ":" + HttpApi.ACCOUNT + ":schedule/default/laurel-local-" + s.name()
                        : "arn:aws:events:" + LocalDynamo.REGION.id() + ":" + HttpApi.ACCOUNT + ":rule/laurel-local-" + s.name();
                ev.putArray("resources").add(arn);
                ev.putObject("detail");
                payload = JSON.writeValueAsBytes(ev);
            }
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return invoke(e, time, payload, id);
    }

    private Run invoke(Entry e, Instant time, byte[] payload, String id) throws Functions.FunctionError {
        Template.Schedule s = e.definition;
        long t0 = System.nanoTime();
        byte[] out;
        try {
            out = functions.get(s.function()).invoke(payload, id);
        } catch (Functions.FunctionError ex) {
            log.println("SCHEDULE " + s.name() + " failed " + (System.nanoTime() - t0) / 1_000_000 + "ms");
            throw ex;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.println("SCHEDULE " + s.name() + " " + time + " ok " + ms + "ms");
        JsonNode output;
        try {
            output = out.length == 0 ? null : JSON.readTree(out);
        } catch (IOException ex) {
            output = JSON.getNodeFactory().textNode(new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Run(s.name(), s.function(), time, ms, output);
    }

    /** Stops the ticker, letting a run in progress finish (for up to 10 seconds). */
    @Override
    public void close() {
        running = false;
        Thread t = ticker;
        ticker = null;
        if (t != null) {
            synchronized (sleeper) {
                sleeper.notifyAll();
            }
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
