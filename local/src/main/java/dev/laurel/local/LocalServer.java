package dev.laurel.local;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.laurel.json.Json;
import dev.laurel.domain.Program;
import dev.laurel.notify.Outbox;
import dev.laurel.notify.WebhookChannel;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Channels;
import dev.laurel.api.Scheduled;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.store.dynamodb.DynamoStore;
import dev.laurel.store.dynamodb.ScheduledStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Laurel on one machine: DynamoDB Local, the template's tables, an HTTP server serving every
 * {@code HttpApi} route of template.yaml through {@link HttpApi}, the schedules, the tenant
 * {@code local} with its two keys, and the local-only routes of API.md:
 * <ul>
 *   <li>{@code POST /local/clock} {@code {"now": "2027-01-01T00:00:00Z"}} moves the clock every function
 *       sees; also {@code {"advance": "P30D"}}, and {@code "frozen": true} to stop it there.
 *       Schedules that became due run before the answer, which lists them in {@code ran}.
 *       {@code GET /local/clock} tells the time.</li>
 *   <li>{@code POST /local/schedules/{name}/run} runs a scheduled function now; {@code GET /local/schedules}
 *       lists them with their next run.</li>
 *   <li>{@code GET /local/outbox} lists the notifications sent so far.</li>
 * </ul>
 * Usable from tests: {@code try (LocalServer s = LocalServer.start(Options.defaults(root).port(0).inMemory(true))) {...}}.
 */
public final class LocalServer implements AutoCloseable {
    public static final String TENANT = "local";
    public static final String DEFAULT_ADMIN_KEY = "local-admin-key";
    public static final String DEFAULT_SHOP_KEY = "local-shop-key";

    /** How to run. Build with {@link #defaults(Path)} and the withers. */
    public record Options(int port, String host, boolean inMemory, Path root, Path template, Path dataDir, String adminKey,
                          String shopKey, boolean schedules, Duration programRecheck, PrintStream log) {
        public Options {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(adminKey, "adminKey");
            Objects.requireNonNull(shopKey, "shopKey");
            Objects.requireNonNull(programRecheck, "programRecheck");
            Objects.requireNonNull(log, "log");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535");
            }
        }

        /**
         * Port 3000 on 127.0.0.1, {@code root/template.yaml}, data in {@code root/.laurel}, keys from
         * {@code LAUREL_ADMIN_KEY}/{@code LAUREL_SHOP_KEY} or the defaults, schedules on, log to stdout.
         */
        public static Options defaults(Path root) {
            Path r = root.toAbsolutePath().normalize();
            return new Options(3000, "127.0.0.1", false, r, r.resolve("template.yaml"), r.resolve(".laurel"),
                    env("LAUREL_ADMIN_KEY", DEFAULT_ADMIN_KEY), env("LAUREL_SHOP_KEY", DEFAULT_SHOP_KEY), true,
                    ProgramCache.DEFAULT_RECHECK, System.out);
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }

        public Options port(int port) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options inMemory(boolean inMemory) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options template(Path template) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options dataDir(Path dataDir) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options keys(String adminKey, String shopKey) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options schedules(boolean schedules) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options programRecheck(Duration programRecheck) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }

        public Options log(PrintStream log) {
            return new Options(port, host, inMemory, root, template, dataDir, adminKey, shopKey, schedules, programRecheck, log);
        }
    }

    /** The server could not start (port taken, data directory in use, broken template); the message says why. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Options options;
    private final LocalClock clock;
    private Template template;
    private final Outbox outbox;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String> warnings = new ArrayList<>();
    private FileLock lock;
    private FileChannel lockChannel;
    private LocalDynamo dynamo;
    private Functions functions;
    private HttpApi api;
    private Schedules schedules;
    private LocalStreams streams;
    private Server jetty;
    private int port;

    private LocalServer(Options options, LocalClock clock) {
        this.options = options;
        this.clock = clock;
        this.outbox = new Outbox(clock);
    }

    /** Starts everything and returns once the HTTP server accepts requests. */
    public static LocalServer start(Options options) throws StartException {
        return start(options, new LocalClock());
    }

    /** As {@link #start(Options)}, on a given clock. */
    public static LocalServer start(Options options, LocalClock clock) throws StartException {
        LocalServer s = new LocalServer(options, clock);
        try {
            s.startAll();
            return s;
        } catch (StartException e) {
            s.close();
            throw e;
        } catch (Exception e) {
            s.close();
            throw new StartException("cannot start: " + e, e);
        }
    }

    private void startAll() throws Exception {
        if (!options.inMemory()) {
            lock();
        }
        // DynamoDB Local starts on this thread while another loads the functions and the SDK client:
        // startup is mostly class loading, and this halves it on a two-core laptop.
        int dbPort = LocalDynamo.freePort();
        Map<Class<?>, Supplier<?>> providers = new LinkedHashMap<>();
        AtomicReference<DynamoStore> storeRef = new AtomicReference<>();
        long split = Wiring.budgetSplitThreshold(System.getProperty("laurel.budgetSplitThreshold", System.getenv(Wiring.BUDGET_SPLIT_THRESHOLD)));
        providers.put(Laurel.class, () -> new Laurel(storeRef.get(), clock, options.programRecheck()).splittingBudgetsAt(split));
        providers.put(ApiKeys.class, () -> new ApiKeys(storeRef.get()));
        providers.put(DynamoStore.class, storeRef::get);
        providers.put(DynamoDbClient.class, () -> storeRef.get().client());
        providers.put(LocalClock.class, () -> clock);
        providers.put(Outbox.class, () -> outbox);
        dev.laurel.app.SessionKeys sessionKeys = LocalSessionKeys.load(options.dataDir(), options.inMemory());
        providers.put(dev.laurel.app.SessionKeys.class, () -> sessionKeys);
        // a program's webhook is called for real (signed with the wall-clock time the receiver checks,
        // not the local clock); email and no channel land in the outbox
        HttpClient webhooks = WebhookChannel.httpClient();
        Channels channels = program -> program.channel() != null && Program.Channel.WEBHOOK.equals(program.channel().type())
                ? new WebhookChannel(URI.create(program.channel().url()), program.channel().secret(), webhooks,
                        java.time.Clock.systemUTC())
                : outbox;
        providers.put(Channels.class, () -> channels);
        // outbound webhooks (/v1/webhooks): plain http to loopback receivers allowed, as for reminders
        providers.put(dev.laurel.api.WebhookSetup.class, dev.laurel.api.WebhookSetup::local);
        // a scheduled run that outlasts its invocation continues in another, as on Lambda
        Scheduled.Continuation continuation = this::continueRun;
        providers.put(Scheduled.Continuation.class, () -> continuation);
        CompletableFuture<DynamoDbClient> prepared = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                try {
                    template = Template.read(options.template());
                } catch (RuntimeException e) {
                    throw new StartException("cannot read " + options.template() + ": " + e.getMessage(), e);
                }
                DynamoDbClient client = LocalDynamo.client(dbPort);
                functions = new Functions(template, providers, options.log());
                api = new HttpApi(template, functions, clock, options.log());
                schedules = new Schedules(template, functions, clock, options.log());
                prepared.complete(client);
            } catch (Throwable t) {
                prepared.completeExceptionally(t);
            }
        }, "laurel-loader");
        loader.setDaemon(true);
        loader.start();
        DynamoDBProxyServer server;
        try {
            server = LocalDynamo.startServer(dbPort, options.inMemory() ? null : options.dataDir());
        } catch (Exception e) {
            prepared.thenAccept(DynamoDbClient::close);
            throw e;
        }
        DynamoDbClient client;
        try {
            client = prepared.get();
        } catch (ExecutionException e) {
            server.stop();
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
        try {
            dynamo = LocalDynamo.of(server, dbPort, client, template);
        } catch (RuntimeException e) {
            client.close();
            server.stop();
            throw e;
        }
        if (dynamo.tableName() == null) {
            throw new StartException(options.template() + " declares no AWS::DynamoDB::Table for the functions", null);
        }
        DynamoStore store = new DynamoStore(client, dynamo.tableName());
        storeRef.set(store);
        ScheduledStore scheduledStore = new ScheduledStore(store);
        ApiKeys keys = new ApiKeys(store);
        try {
            keys.create(TENANT, "admin", "local admin key", options.adminKey(), clock.instant());
            keys.create(TENANT, "shop", "local shop key", options.shopKey(), clock.instant());
        } catch (IllegalArgumentException e) {
            throw new StartException("LAUREL_ADMIN_KEY / LAUREL_SHOP_KEY: " + e.getMessage(), e);
        }
        for (Functions.Fn f : functions.all().values()) {
            try {
                f.warmUp();
            } catch (Functions.FunctionError e) {
                warnings.add(e.getMessage());
            }
        }
        List<String> streamFns = template.streamFunctions(template.mainTable().logicalId());
        if (!streamFns.isEmpty()) { // the table's change stream feeds functions: read it as Lambda would, once per mapping
            streams = new LocalStreams(LocalStreams.client(URI.create("http://127.0.0.1:" + dbPort)), client.describeTable(b -> b
                    .tableName(dynamo.tableName())).table().latestStreamArn(), streamFns.stream().map(functions::get).toList(),
                    options.log()).start();
        }
        DemoKeys demoKeys = DemoKeys.create(keys, options.dataDir(), options.inMemory(), clock.instant());
        jetty = new HttpFront(api, new LocalRoutes(clock, outbox, scheduledStore, schedules, streams, options.log()),
                new Demo(api, demoKeys), options.log()).start(options.host(), options.port());
        port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        if (options.schedules()) {
            schedules.start();
        }
    }

    private void lock() throws IOException, StartException {
        Files.createDirectories(options.dataDir());
        lockChannel = FileChannel.open(options.dataDir().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new StartException("another Laurel local is using " + options.dataDir() + " (stop it, or use --in-memory)", null);
        }
    }

    // ---------------------------------------------------------------- accessors

    /** The port the HTTP server listens on (the real one when started on port 0). */
    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://" + options.host() + ":" + port);
    }

    public Options options() {
        return options;
    }

    public Template template() {
        return template;
    }

    public LocalClock clock() {
        return clock;
    }

    /** Continues a scheduled run in a new invocation of its function (asynchronously, as Lambda would). */
    private void continueRun(String eventJson) {
        String job = Json.read(eventJson).path("continuation").path("job").asText("");
        Thread t = new Thread(() -> {
            try {
                schedules.invoke(job, eventJson);
            } catch (Functions.FunctionError | RuntimeException e) {
                options.log().println("error: continuing " + job + ": " + e.getMessage());
            }
        }, "laurel-continuation");
        t.setDaemon(true);
        t.start();
    }

    public Outbox outbox() {
        return outbox;
    }

    public URI dynamoEndpoint() {
        return dynamo.endpoint();
    }

    public String tableName() {
        return dynamo.tableName();
    }

    public List<String> routeKeys() {
        return api.routeKeys();
    }

    public List<Schedules.Entry> schedules() {
        return schedules.entries();
    }

    /** Functions that could not be loaded (their routes answer 500). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        if (jetty != null) {
            jetty.join();
        }
    }

    /** Stops the HTTP server (letting requests in flight finish), the schedules and DynamoDB Local; the data stays. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                options.log().println("warning: stopping the HTTP server: " + e);
            }
        }
        if (schedules != null) {
            schedules.close();
        }
        if (streams != null) {
            streams.close();
        }
        if (dynamo != null) {
            try {
                dynamo.close();
            } catch (RuntimeException e) {
                options.log().println("warning: stopping DynamoDB Local: " + e);
            }
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            options.log().println("warning: releasing the data directory lock: " + e);
        }
    }
}
