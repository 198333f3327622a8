package dev.laurel.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.json.Json;
import dev.laurel.notify.Signature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.IntSupplier;

/**
 * A shop's webhook endpoint, for real: an HTTP server on a loopback port that checks every
 * request's Laurel-Signature with the shared secret, records it, and answers the status the test
 * scripts (200 unless told otherwise).
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(String id, String type, JsonNode envelope, boolean signatureValid, int answered) {
    }

    final String secret = "whsec-test-0123456789abcdef";
    private final HttpServer server;
    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private volatile IntSupplier status = () -> 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            String sig = ex.getRequestHeaders().getFirst("Laurel-Signature");
            boolean valid = sig != null && Signature.verify(secret, sig, text, System.currentTimeMillis() / 1000, 300);
            int answer = status.getAsInt();
            JsonNode env = Json.read(text);
            received.add(new Received(env.path("id").asText(), env.path("type").asText(), env, valid, answer));
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(IntSupplier s) {
        status = s;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Received> received(String type) {
        return received.stream().filter(r -> r.type().equals(type)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
