package dev.laurel.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A real webhook receiver on a free loopback port: it records every request, verifies its signature the way a
 * customer's receiver would (Signature.verify against its own clock), and answers the statuses it was told to,
 * in order (then 200).
 */
final class Receiver implements AutoCloseable {
    /** One request as the receiver saw it. */
    record Request(String method, String path, String query, Map<String, List<String>> headers, String body,
                   boolean signatureValid) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().isEmpty() ? null : e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** What to do with a request. */
    enum Behaviour { ANSWER, HANG, HEADERS_THEN_HANG }

    final String secret;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final LongSupplier nowSeconds;
    private volatile Behaviour behaviour = Behaviour.ANSWER;
    private volatile String location;

    Receiver(String secret, LongSupplier nowSeconds) throws IOException {
        this.secret = secret;
        this.nowSeconds = nowSeconds;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    synchronized Receiver answer(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    Receiver behave(Behaviour b) {
        behaviour = b;
        return this;
    }

    Receiver redirectTo(String location) {
        this.location = location;
        return this;
    }

    private synchronized int nextStatus() {
        Integer s = statuses.poll();
        return s == null ? 200 : s;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String sig = ex.getRequestHeaders().getFirst(Signature.HEADER);
            boolean valid = Signature.verify(secret, sig, body, nowSeconds.getAsLong(),
                    Signature.DEFAULT_TOLERANCE_SECONDS);
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery(), Map.copyOf(ex.getRequestHeaders()), body, valid));
            if (behaviour == Behaviour.HANG) {
                await();
                return;
            }
            int status = nextStatus();
            if (location != null && status >= 300 && status < 400) {
                ex.getResponseHeaders().set("Location", location);
            }
            byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            if (behaviour == Behaviour.HEADERS_THEN_HANG) {
                ex.sendResponseHeaders(status, answer.length);
                ex.getResponseBody().flush();
                await();
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, answer.length);
            ex.getResponseBody().write(answer);
        }
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
