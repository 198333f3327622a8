package dev.laurel.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import dev.laurel.json.Canonical;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A profile of the cold start's parts: in fresh JVMs with Lambda's flags, the time of each first
 * use the earn's first invocation goes through, in the order it goes through them, against the
 * same DynamoDB Local: building the client, the first and a second GetItem, the first
 * BatchGetItem, the first and a second TransactWriteItems, Jackson (databind: our mapper, the
 * first tree read, the first {@code toString}; or jackson-core alone: factory, streaming parse
 * and write), and the first program parse, request hash and earning plan. The SDK part is what
 * the baseline pays too (its first GetItem); the rest is what the earn adds.
 */
public final class FirstUse {
    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        if (args.flag("child")) {
            child(args);
            return;
        }
        int runs = args.integer("runs", 3);
        String java = args.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ObjectNode out = Json.object();
        for (String mode : List.of("databind", "core")) {
            Map<String, List<Double>> steps = new LinkedHashMap<>();
            for (int i = 0; i < runs; i++) {
                ProcessBuilder pb = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), FirstUse.class.getName(),
                        "--child", "--mode", mode, "--root", args.get("root"));
                pb.environment().put("AWS_ENDPOINT_URL_DYNAMODB", args.get("endpoint"));
                pb.environment().put("AWS_REGION", Ddb.REGION.id());
                pb.environment().put("AWS_ACCESS_KEY_ID", Ddb.ACCESS_KEY);
                pb.environment().put("AWS_SECRET_ACCESS_KEY", Ddb.SECRET_KEY);
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                Process p = pb.start();
                String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("FirstUse child failed: " + line);
                }
                JsonNode r = Json.read(line.substring(line.lastIndexOf('\n') + 1));
                r.fields().forEachRemaining(e -> steps.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().asDouble()));
            }
            ObjectNode m = out.putObject(mode);
            steps.forEach((k, v) -> m.put(k, Stats.median(v)));
            System.out.println("first use (" + mode + "): " + m);
        }
        Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static long mark;

    private static double lap() {
        long now = System.nanoTime();
        double ms = (now - mark) / 1e6;
        mark = now;
        return Math.round(ms * 10) / 10.0;
    }

    private static void child(Args args) throws Exception {
        Map<String, Double> t = new LinkedHashMap<>();
        Path root = args.path("root");
        String programJson = Files.readString(root.resolve("api/examples/minimal-program.json"));
        byte[] event = Files.readAllBytes(root.resolve("events/earn.json"));
        String pk = "T#firstuse#P#p-" + UUID.randomUUID();
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("DEF"));
        mark = System.nanoTime();
        DynamoDbClient ddb = dev.laurel.store.dynamodb.DynamoStore.clientFromEnvironment();
        t.put("sdk: build the client (as the functions do)", lap());
        ddb.getItem(b -> b.tableName(Ddb.TABLE).key(key).consistentRead(true));
        t.put("sdk: first GetItem", lap());
        ddb.getItem(b -> b.tableName(Ddb.TABLE).key(key).consistentRead(true));
        t.put("sdk: second GetItem", lap());
        if (args.get("mode").equals("databind")) {
            Object m = Json.mapper();
            t.put("jackson-databind: our mapper (Json.mapper())", lap());
            JsonNode ev = Json.mapper().readTree(event);
            t.put("jackson-databind: first readTree (the event)", lap());
            String s = ev.toString();
            t.put("jackson-databind: first JsonNode.toString", lap());
            Program p = ProgramReader.read("p", 1, Json.read(programJson));
            t.put("ours: first Program.parse (minimal program)", lap());
            Canonical.hash(Json.parse(ev.get("body").asText()));
            t.put("ours: first request hash (SHA-256)", lap());
            Order order = new Order("o-1", 12_999, "EUR", 0, List.of(new Order.Line("A-1", "shoes", 1, 12_999)));
            Earning.plan(p, Customer.newcomer("c-1"), new Event(Event.ORDER_PAID, "o-1", Instant.now(), order, Map.of()), Map.of());
            t.put("ours: first earning plan", lap());
            if (m == null || s.isEmpty()) {
                throw new IllegalStateException();
            }
        } else {
            JsonFactory f = new JsonFactory();
            t.put("jackson-core: JsonFactory", lap());
            int tokens = 0;
            try (JsonParser p = f.createParser(event)) {
                while (p.nextToken() != null) {
                    tokens++;
                }
            }
            t.put("jackson-core: first streaming parse (the event)", lap());
            StringWriter w = new StringWriter();
            try (JsonGenerator g = f.createGenerator(w)) {
                g.writeStartObject();
                g.writeNumberField("statusCode", 200);
                g.writeStringField("body", "{\"pointsEarned\":129}");
                g.writeEndObject();
            }
            t.put("jackson-core: first streaming write (an answer)", lap());
            if (tokens == 0 || w.toString().isEmpty()) {
                throw new IllegalStateException();
            }
        }
        List<Map<String, AttributeValue>> keys = List.of(key, Map.of("pk", AttributeValue.fromS(pk + "#C#c"), "sk", AttributeValue.fromS("P")));
        mark = System.nanoTime();
        ddb.batchGetItem(b -> b.requestItems(Map.of(Ddb.TABLE, KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
        t.put("sdk: first BatchGetItem", lap());
        for (int i = 0; i < 2; i++) {
            Map<String, AttributeValue> item = new java.util.HashMap<>(key);
            item.put("sk", AttributeValue.fromS("X#" + i));
            item.put("n", AttributeValue.fromN("1"));
            ddb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(Put.builder().tableName(Ddb.TABLE)
                    .item(item).conditionExpression("attribute_not_exists(pk)").build()).build()));
            t.put(i == 0 ? "sdk: first TransactWriteItems" : "sdk: second TransactWriteItems", lap());
        }
        System.out.println(Json.write(t));
    }
}
