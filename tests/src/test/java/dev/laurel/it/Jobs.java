package dev.laurel.it;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.functions.expire.ExpireHandler;
import dev.laurel.functions.remind.RemindHandler;
import dev.laurel.json.Json;
import dev.laurel.notify.Channel;
import dev.laurel.notify.Outbox;
import dev.laurel.app.Channels;
import dev.laurel.api.Scheduled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the scheduled functions as EventBridge Scheduler does: the handler, invoked with the
 * schedule's input (events/expire.json, events/remind.json), a Lambda context whose remaining
 * time the test sets, and continuations (the function invoking itself again) run until the run
 * is complete. Reminders go to a real outbox unless the test gives other channels.
 */
final class Jobs {
    final Api api;
    final Outbox outbox;
    private final Deque<String> continuations = new ArrayDeque<>();
    private final Scheduled.Continuation continuation = continuations::add;
    private final RequestStreamHandler expire;
    private final RequestStreamHandler remind;

    Jobs(Api api) {
        this(api, null);
    }

    /** @param channels where reminders go; null = every program to {@link #outbox} */
    Jobs(Api api, Channels channels) {
        this.api = api;
        this.outbox = new Outbox(api.clock);
        Channel box = outbox;
        this.expire = new ExpireHandler(Api.jobs(api.store, api.clock), continuation);
        this.remind = new RemindHandler(Api.jobs(api.store, api.clock), channels == null ? p -> box : channels, continuation);
    }

    /** One invocation of the expiry function with the scheduled event; its answer. */
    JsonNode expireOnce(Context context) {
        return invoke(expire, Json.write(Api.event("expire.json")), context);
    }

    JsonNode remindOnce(Context context) {
        return invoke(remind, Json.write(Api.event("remind.json")), context);
    }

    /** A whole expiry run: the scheduled invocation and every continuation it hands on; their answers. */
    List<JsonNode> expiry() {
        return drain(expireOnce(Budget.unlimited()), expire);
    }

    List<JsonNode> reminders() {
        return drain(remindOnce(Budget.unlimited()), remind);
    }

    /** Continuations handed on so far and not yet run. */
    int pendingContinuations() {
        return continuations.size();
    }

    /** The answers of {@code first} and of every continuation it handed on, run to the end. */
    List<JsonNode> continueExpiry(JsonNode first) {
        return drain(first, expire);
    }

    List<JsonNode> continueReminders(JsonNode first) {
        return drain(first, remind);
    }

    private List<JsonNode> drain(JsonNode first, RequestStreamHandler handler) {
        List<JsonNode> out = new ArrayList<>();
        out.add(first);
        while (!continuations.isEmpty()) {
            out.add(invoke(handler, continuations.poll(), Budget.unlimited()));
        }
        return out;
    }

    static JsonNode invoke(RequestStreamHandler h, String event, Context context) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            return Json.mapper().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda context whose remaining time falls by a fixed step each time it is asked: deterministic budgets. */
    static final class Budget implements Context {
        private final AtomicLong remainingMs;
        private final long stepMs;

        private Budget(long startMs, long stepMs) {
            this.remainingMs = new AtomicLong(startMs);
            this.stepMs = stepMs;
        }

        static Budget unlimited() {
            return new Budget(Integer.MAX_VALUE, 0);
        }

        /**
         * Room for about {@code asks} checks of the time left before the function must hand over: a
         * short invocation keeps a quarter of its time (Scheduled) for that, and the first ask is
         * the one that sets the margin.
         */
        static Budget checks(int asks) {
            return new Budget((asks + 1) * 4000L / 3, 1000);
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, remainingMs.getAndAdd(-stepMs));
        }

        @Override
        public String getAwsRequestId() {
            return "test";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/test";
        }

        @Override
        public String getLogStreamName() {
            return "test";
        }

        @Override
        public String getFunctionName() {
            return "test";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-central-1:123456789012:function:test";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
