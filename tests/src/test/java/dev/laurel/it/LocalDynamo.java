package dev.laurel.it;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.laurel.local.TemplateTables;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in this JVM, as an HTTP server on a free loopback port: tests reach it through
 * the same SDK client and HTTP client a Lambda uses. One per test JVM; the table is created from
 * template.yaml. Test classes isolate themselves by tenant, never by mocking.
 *
 * <p>With the system property {@value #ENDPOINT_PROPERTY} set to a URL, no DynamoDB Local is
 * started: the tests run against that endpoint instead (another emulator such as moto_server, as
 * .ci/run does), with the table created there from template.yaml all the same.
 */
public final class LocalDynamo {
    public static final String TABLE = "laurel-test";
    /** Names an already running DynamoDB-compatible endpoint to test against instead of DynamoDB Local. */
    public static final String ENDPOINT_PROPERTY = "laurel.dynamodb.endpoint";
    private static LocalDynamo instance;

    private final DynamoDBProxyServer server;
    private final DynamoDbClient client;
    private final URI endpoint;

    private LocalDynamo() throws Exception {
        String external = System.getProperty(ENDPOINT_PROPERTY, "").trim();
        if (!external.isEmpty()) {
            server = null;
            endpoint = URI.create(external);
        } else {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port", Integer.toString(port)});
            server.start();
            endpoint = URI.create("http://127.0.0.1:" + port);
        }
        client = client(endpoint);
        // the shared table without the template's stream: no test reads it, and DynamoDB Local keeps every record
        TemplateTables.ensureMain(client, root().resolve("template.yaml"), TABLE, false);
    }

    public static DynamoDbClient client(URI endpoint) {
        return client(endpoint, null);
    }

    /** A client whose every request {@code interceptor} sees (null: none), for tests that count or change requests. */
    public static DynamoDbClient client(URI endpoint, software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        var b = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (interceptor != null) {
            b.overrideConfiguration(c -> c.addExecutionInterceptor(interceptor));
        }
        return b.build();
    }

    public static synchronized LocalDynamo get() {
        if (instance == null) {
            try {
                instance = new LocalDynamo();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start DynamoDB Local", e);
            }
        }
        return instance;
    }

    /** A new, empty table from template.yaml (its indexes included), for tests that run the scheduled functions. */
    public static String freshTable() {
        String name = "laurel-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.ensureMain(get().client(), root().resolve("template.yaml"), name, false);
        return name;
    }

    /** A new, empty table from template.yaml with its change stream on, for tests that read the stream. */
    public static String freshTableWithStream() {
        String name = "laurel-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.ensureMain(get().client(), root().resolve("template.yaml"), name, true);
        return name;
    }

    public DynamoDbClient client() {
        return client;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** True when the tests run on the embedded DynamoDB Local, false on an endpoint named by {@value #ENDPOINT_PROPERTY}. */
    public boolean embedded() {
        return server != null;
    }

    /** The repository root (set by surefire; falls back to the working directory's parent). */
    public static Path root() {
        String r = System.getProperty("laurel.root");
        return r != null ? Path.of(r).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }
}
