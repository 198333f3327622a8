package dev.laurel.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in this JVM, as an HTTP server on a free loopback port, so the functions reach
 * it through the same SDK client they use on AWS (and a developer can point the AWS CLI at it).
 * Data lives in one shared database file under the data directory ({@code -sharedDb}), or in
 * memory. Telemetry is off. The tables are those of template.yaml.
 */
public final class LocalDynamo implements AutoCloseable {
    /** The local name of the template's main table. */
    public static final String TABLE = "laurel-local";
    public static final Region REGION = Region.EU_CENTRAL_1;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;
    private final String tableName;

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint, DynamoDbClient client, String tableName) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = client;
        this.tableName = tableName;
    }

    /** A free port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts DynamoDB Local on {@code port} ({@code dataDir} null: in memory) and creates the
     * template's tables and indexes that are not there yet.
     */
    public static LocalDynamo start(Template template, Path dataDir) throws Exception {
        int port = freePort();
        DynamoDBProxyServer server = startServer(port, dataDir);
        try {
            DynamoDbClient client = client(port);
            return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port), client, ensureTables(client, template));
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** As {@link #start}, for a server and client started apart (the runner starts them in parallel). */
    static LocalDynamo of(DynamoDBProxyServer server, int port, DynamoDbClient client, Template template) {
        return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port), client, ensureTables(client, template));
    }

    /** Starts the DynamoDB Local server alone. */
    static DynamoDBProxyServer startServer(int port, Path dataDir) throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null) {
            Path natives = Path.of(System.getProperty("laurel.root", ".")).resolve("local/target/lib");
            System.setProperty("sqlite4java.library.path", natives.toAbsolutePath().toString());
        }
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            Files.createDirectories(dataDir);
            args.add("-dbPath");
            args.add(dataDir.toAbsolutePath().toString());
        }
        DynamoDBProxyServer server;
        // DynamoDB Local prints its configuration on stdout; the runner's console is for its banner.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        bindToLoopback(server);
        server.start();
        return server;
    }

    /** The SDK client the functions use, with DynamoDB Local's endpoint. */
    static DynamoDbClient client(int port) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates the template's tables; returns the local name of the main one. */
    static String ensureTables(DynamoDbClient client, Template template) {
        String main = null;
        Template.Table mainTable = template.tables().isEmpty() ? null : template.mainTable();
        for (Template.Table t : template.tables()) {
            String name = t == mainTable ? TABLE : TABLE + "-" + t.logicalId();
            TemplateTables.ensure(client, t, name);
            if (t == mainTable) {
                main = name;
            }
        }
        return main;
    }

    /**
     * DynamoDB Local's server listens on every interface; bind it to 127.0.0.1 before it starts
     * (its Jetty server is a private field, so this is done by reflection and skipped, with a
     * warning, should a new version move it).
     */
    private static void bindToLoopback(DynamoDBProxyServer proxy) {
        try {
            Field f = DynamoDBProxyServer.class.getDeclaredField("server");
            f.setAccessible(true);
            Server jetty = (Server) f.get(proxy);
            for (Connector c : jetty.getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    sc.setHost("127.0.0.1");
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("warning: DynamoDB Local listens on all interfaces (" + e + ")");
        }
    }

    public DynamoDbClient client() {
        return client;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The local name of the template's main table (the functions' {@code TABLE_NAME}). */
    public String tableName() {
        return tableName;
    }

    /** Stops the server; the database file (if any) is closed and kept. */
    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        }
    }
}
