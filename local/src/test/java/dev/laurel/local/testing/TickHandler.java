package dev.laurel.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scheduled function that remembers the events it got and the time it saw. */
public final class TickHandler implements RequestStreamHandler {
    public record Tick(JsonNode event, java.time.Instant seen) {
    }

    public static final List<Tick> TICKS = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    public TickHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode event = JSON.readTree(in);
        TICKS.add(new Tick(event, clock.instant()));
        out.write(("{\"expired\": " + TICKS.size() + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
