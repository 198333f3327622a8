package dev.laurel.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The runner's HTTP server (Jetty): {@code /local/...} goes to the local-only routes,
 * {@code /dashboard/...} to the dashboard's static files and {@code /widget/...} to the wallet
 * widget's ({@link StaticFolder}), {@code /demo/...} to the demo shop ({@link Demo}), everything
 * else to the template's routes through {@link HttpApi}; one line of request log per request.
 */
final class HttpFront {
    private final HttpApi api;
    private final LocalRoutes routes;
    private final StaticFolder dashboard = StaticFolder.dashboard();
    private final StaticFolder widget = StaticFolder.widget();
    private final Demo demo;
    private final Cors cors = Cors.fromEnvironment();
    private final PrintStream log;

    HttpFront(HttpApi api, LocalRoutes routes, Demo demo, PrintStream log) {
        this.api = api;
        this.routes = routes;
        this.demo = demo;
        this.log = log;
    }

    /** Starts serving on {@code host:port} (port 0: a free one); stopped again if it cannot start. */
    Server start(String host, int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("laurel-http");
        Server jetty = new Server(pool);
        HttpConfiguration cfg = new HttpConfiguration();
        cfg.setSendServerVersion(false);
        cfg.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(cfg));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        jetty.setStopTimeout(5000);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException && (e instanceof BindException || e.getCause() instanceof BindException)) {
                throw new LocalServer.StartException("port " + port + " on " + host + " is in use (try --port "
                        + (port + 1) + ")", e);
            }
            throw e;
        }
        return jetty;
    }

    void serve(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        HttpApi.Response answer;
        try {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readNBytes(HttpApi.MAX_BODY_BYTES + 1);
            }
            if (path.equals("/local") || path.startsWith("/local/")) {
                answer = routes.handle(method, path, body);
            } else if (dashboard.handles(path)) {
                answer = dashboard.serve(method, path, request.getHeaders().get("If-None-Match"));
            } else if (widget.handles(path)) {
                answer = widget.serve(method, path, request.getHeaders().get("If-None-Match"));
            } else if (demo.handles(path)) {
                answer = demo.serve(method, path, request.getHttpURI().getQuery(), body, request.getHeaders().get("If-None-Match"));
            } else if ((answer = cors.preflight(method, request.getHeaders().get("Origin"),
                    request.getHeaders().get("Access-Control-Request-Method"))) != null) {
                // answered as API Gateway answers a preflight, before any route or authorizer
            } else {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                for (HttpField f : request.getHeaders()) {
                    headers.add(Map.entry(f.getName(), f.getValue()));
                }
                String protocol = request.getConnectionMetaData().getProtocol();
                answer = cors.decorate(api.handle(new HttpApi.Request(method, path, request.getHttpURI().getQuery(), headers, body,
                        Request.getRemoteAddr(request), protocol)), request.getHeaders().get("Origin"));
            }
        } catch (IOException | RuntimeException e) {
            log.println("error: " + e);
            answer = PayloadV2.gateway(500, "Internal Server Error", PayloadV2.requestId());
        }
        response.setStatus(answer.status());
        for (var h : answer.headers()) {
            response.getHeaders().add(h.getKey(), h.getValue());
        }
        response.getHeaders().put("content-length", Long.toString(answer.body().length));
        log.println(method + " " + path + " " + answer.status() + " " + (System.nanoTime() - t0) / 1_000_000 + "ms");
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
