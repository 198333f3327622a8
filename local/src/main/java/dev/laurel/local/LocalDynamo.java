package dev.laurel.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

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
            ensureTable(client, t, name);
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

    /** Creates a template table under {@code name}, or adds the indexes (and TTL) the template has gained since. */
    public static void ensureTable(DynamoDbClient ddb, Template.Table table, String name) {
        JsonNode p = table.properties();
        List<AttributeDefinition> attrs = new ArrayList<>();
        p.path("AttributeDefinitions").forEach(a -> attrs.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText())
                .attributeType(ScalarAttributeType.fromValue(a.path("AttributeType").asText())).build()));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        p.path("GlobalSecondaryIndexes").forEach(g -> gsis.add(GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keys(g.path("KeySchema")))
                .projection(projection(g.path("Projection"))).build()));
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        p.path("LocalSecondaryIndexes").forEach(l -> lsis.add(LocalSecondaryIndex.builder()
                .indexName(l.path("IndexName").asText())
                .keySchema(keys(l.path("KeySchema")))
                .projection(projection(l.path("Projection"))).build()));
        TableDescription existing;
        try {
            existing = ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            existing = null;
        }
        if (existing == null) {
            CreateTableRequest.Builder req = CreateTableRequest.builder().tableName(name)
                    .attributeDefinitions(attrs).keySchema(keys(p.path("KeySchema")))
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                req.globalSecondaryIndexes(gsis);
            }
            if (!lsis.isEmpty()) {
                req.localSecondaryIndexes(lsis);
            }
            ddb.createTable(req.build());
        } else {
            Map<String, GlobalSecondaryIndexDescription> have = new HashMap<>();
            for (GlobalSecondaryIndexDescription d : existing.globalSecondaryIndexes()) {
                have.put(d.indexName(), d);
            }
            for (GlobalSecondaryIndex g : gsis) {
                GlobalSecondaryIndexDescription d = have.get(g.indexName());
                if (d != null && sameIndex(d, g)) {
                    continue;
                }
                if (d != null) {
                    // the template changed the index: rebuild it (DynamoDB Local backfills it from the table)
                    ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                            .delete(DeleteGlobalSecondaryIndexAction.builder().indexName(g.indexName()).build()).build()));
                    awaitIndex(ddb, name, g.indexName(), false);
                }
                ddb.updateTable(b -> b.tableName(name).attributeDefinitions(attrs)
                        .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                                .create(CreateGlobalSecondaryIndexAction.builder().indexName(g.indexName())
                                        .keySchema(g.keySchema()).projection(g.projection()).build()).build()));
                awaitIndex(ddb, name, g.indexName(), true);
            }
        }
        JsonNode ttl = p.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false) && ttl.hasNonNull("AttributeName")) {
            try {
                ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(TimeToLiveSpecification.builder()
                        .attributeName(ttl.path("AttributeName").asText()).enabled(true).build()));
            } catch (RuntimeException e) {
                // already enabled (persistent data): fine
            }
        }
    }

    /** Waits (up to 60 s) for an index to be gone, or to be active. */
    private static void awaitIndex(DynamoDbClient ddb, String table, String index, boolean active) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var d = ddb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().stream()
                    .filter(i -> i.indexName().equals(index)).findFirst();
            if (active ? d.isPresent() && d.get().indexStatus() == IndexStatus.ACTIVE : d.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while index " + index + " was changing", e);
            }
        }
        throw new IllegalStateException("index " + index + " of " + table + " did not become " + (active ? "active" : "deleted"));
    }

    private static boolean sameIndex(GlobalSecondaryIndexDescription d, GlobalSecondaryIndex g) {
        Projection a = d.projection();
        Projection b = g.projection();
        return d.keySchema().equals(g.keySchema()) && a.projectionType() == b.projectionType()
                && new HashSet<>(a.nonKeyAttributes()).equals(new HashSet<>(b.nonKeyAttributes()));
    }

    private static Projection projection(JsonNode proj) {
        Projection.Builder pb = Projection.builder().projectionType(ProjectionType.fromValue(proj.path("ProjectionType").asText("ALL")));
        if (proj.has("NonKeyAttributes")) {
            List<String> names = new ArrayList<>();
            proj.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
            pb.nonKeyAttributes(names);
        }
        return pb.build();
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        schema.forEach(k -> out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(KeyType.fromValue(k.path("KeyType").asText())).build()));
        return out;
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
