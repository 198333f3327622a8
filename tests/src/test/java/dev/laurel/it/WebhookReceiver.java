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
 * scripts (200 unless told otherwise), after a scripted delay (a slow receiver, or one that
 * outlasts the sender's timeout).
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(String id, String type, JsonNode envelope, boolean signatureValid, int answered) {
    }

    final String secret = "whsec-test-0123456789abcdef";
    private final HttpServer server;
    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private volatile IntSupplier status = () -> 200;
    private volatile long delayMs;

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
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(new Received(env.path("id").asText(), env.path("type").asText(), env, valid, answer));
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(32));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(IntSupplier s) {
        status = s;
    }

    /** Answers {@code status} to the next {@code n} requests, then 200. */
    void failNext(int n, int status) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(n);
        answer(() -> left.getAndDecrement() > 0 ? status : 200);
    }

    /** Waits this long before answering each request. */
    void delay(java.time.Duration d) {
        delayMs = d.toMillis();
    }

    /** The distinct event ids received with a 2xx answer: what a receiver deduping on {@code id} keeps. */
    java.util.Set<String> accepted() {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).forEach(r -> s.add(r.id()));
        return s;
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
