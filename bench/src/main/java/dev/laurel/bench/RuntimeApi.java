package dev.laurel.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small Lambda Runtime API (2018-06-01) on a loopback port, enough for the runtime interface
 * client: {@code GET /runtime/invocation/next} hands out the queued events with the headers Lambda
 * sends ({@code Content-Type: application/json}, without which the RIC's native client crashes,
 * request id, deadline, function ARN, trace id); {@code POST /runtime/invocation/{id}/response}
 * and {@code .../error} complete an invocation; {@code POST /runtime/init/error} records a failed
 * init. Every arrival is timestamped with {@link System#nanoTime()}.
 */
public final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** One invocation: when the function asked for it, when it was handed out, when its answer came. */
    public static final class Invocation {
        public final String id = UUID.randomUUID().toString();
        public final byte[] event;
        public volatile long askedNanos;
        public volatile long sentNanos;
        public volatile long answeredNanos;
        public volatile String error;
        public volatile byte[] response;
        final CompletableFuture<Invocation> done = new CompletableFuture<>();

        public Invocation(byte[] event) {
            this.event = event;
        }

        public Invocation await(long timeoutMs) throws Exception {
            return done.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final String functionArn;
    /** When the function first asked for an invocation: the end of its init phase. */
    public volatile long firstNextNanos;
    public volatile String initError;

    public RuntimeApi(String functionName) throws IOException {
        functionArn = "arn:aws:lambda:eu-central-1:123456789012:function:" + functionName;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(pool);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public Invocation enqueue(byte[] event) {
        Invocation i = new Invocation(event);
        queue.add(i);
        return i;
    }

    private void handle(HttpExchange x) throws IOException {
        long now = System.nanoTime();
        try (x) {
            String path = x.getRequestURI().getPath().substring(PREFIX.length());
            String method = x.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                if (firstNextNanos == 0) {
                    firstNextNanos = now;
                }
                Invocation i = queue.poll(120, TimeUnit.SECONDS);
                if (i == null) {
                    x.sendResponseHeaders(500, -1);
                    return;
                }
                i.askedNanos = now;
                inFlight.put(i.id, i);
                var h = x.getResponseHeaders();
                h.set("Content-Type", "application/json");
                h.set("Lambda-Runtime-Aws-Request-Id", i.id);
                h.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 10_000));
                h.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                h.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
                i.sentNanos = System.nanoTime();
                x.sendResponseHeaders(200, i.event.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(i.event);
                }
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                byte[] body = x.getRequestBody().readAllBytes();
                Invocation i = inFlight.remove(parts[1]);
                x.sendResponseHeaders(202, -1);
                if (i != null) {
                    i.answeredNanos = now;
                    if (parts.length > 2 && parts[2].equals("error")) {
                        i.error = new String(body, StandardCharsets.UTF_8);
                    } else {
                        i.response = body;
                    }
                    i.done.complete(i);
                }
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                x.sendResponseHeaders(202, -1);
            } else {
                x.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
