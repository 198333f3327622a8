package dev.laurel.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Objects;

/** Answers with the event it got (and, on a path with "binary", four bytes base64-encoded). */
public final class EchoHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static volatile Context lastContext;

    public EchoHandler(Laurel loyalty) {
        Objects.requireNonNull(loyalty, "loyalty");
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        lastContext = context;
        JsonNode event = JSON.readTree(in);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("statusCode", event.path("rawPath").asText().endsWith("/teapot") ? 418 : 200);
        ObjectNode headers = answer.putObject("headers");
        headers.put("X-Echo", "yes");
        answer.putArray("cookies").add("session=abc; Path=/").add("theme=dark");
        if (event.path("rawPath").asText().contains("binary")) {
            headers.put("content-type", "application/octet-stream");
            answer.put("body", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255}));
            answer.put("isBase64Encoded", true);
        } else {
            headers.put("content-type", "application/json");
            answer.put("body", JSON.writeValueAsString(event));
            answer.put("isBase64Encoded", false);
        }
        out.write(JSON.writeValueAsBytes(answer));
    }
}
