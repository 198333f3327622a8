package dev.laurel.bench;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.laurel.local.TemplateTables;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * DynamoDB Local for the benchmarks, run as a server in a process of its own (so its JIT and GC
 * are not the harness's), and the SDK client every harness uses: the URL-connection HTTP client,
 * as in the functions. {@code main} starts the server on a loopback port, creates the table of
 * template.yaml (pk/sk and the sparse {@code expiry} index), writes the ready file and runs until
 * killed.
 */
public final class Ddb {
    public static final String TABLE = "laurel-bench";
    public static final Region REGION = Region.EU_CENTRAL_1;
    public static final String ACCESS_KEY = "bench";
    public static final String SECRET_KEY = "bench";

    private Ddb() {
    }

    public static DynamoDbClient client(URI endpoint, Meter meter) {
        var b = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (meter != null) {
            b.overrideConfiguration(c -> c.addExecutionInterceptor(meter));
        }
        return b.build();
    }

    /** The main table as template.yaml (in the working directory, the repository root) defines it, indexes included. */
    public static void createTable(DynamoDbClient ddb, String table) {
        TemplateTables.ensureMain(ddb, Path.of("template.yaml"), table);
    }

    /** {@code Ddb <port> <ready-file>}: serves until killed (port 0: a free one). */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        if (port == 0) {
            try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
        }
        Path ready = Path.of(args[1]);
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        DynamoDBProxyServer server;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-port", Integer.toString(port), "-inMemory", "-sharedDb", "-disableTelemetry"});
        } finally {
            System.setOut(out);
        }
        bindToLoopback(server);
        server.start();
        try (DynamoDbClient c = client(URI.create("http://127.0.0.1:" + port), null)) {
            createTable(c, TABLE);
        }
        Files.writeString(ready, "http://127.0.0.1:" + port + "\n");
        System.out.println("DynamoDB Local on http://127.0.0.1:" + port + ", table " + TABLE);
        Thread.currentThread().join();
    }

    /** DynamoDB Local listens on every interface; keep it on 127.0.0.1 (its Jetty server is a private field). */
    private static void bindToLoopback(DynamoDBProxyServer proxy) {
        try {
            Field f = DynamoDBProxyServer.class.getDeclaredField("server");
            f.setAccessible(true);
            Server jetty = (Server) f.get(proxy);
            for (Connector c : List.of(jetty.getConnectors())) {
                if (c instanceof ServerConnector sc) {
                    sc.setHost("127.0.0.1");
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("warning: DynamoDB Local listens on all interfaces (" + e + ")");
        }
    }
}
