import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DynamoDB Local for bench/snapstart/run: a server on a loopback port (the tests' LocalDynamo), a fresh table
 * from template.yaml and the sample program "acme" under a tenant of its own. Prints
 * {@code endpoint table tenant} on one line, then serves until stdin closes.
 */
public final class PrimingSetup {
    public static void main(String[] a) throws Exception {
        var ddb = dev.laurel.it.LocalDynamo.get();
        String table = dev.laurel.it.LocalDynamo.freshTable();
        String tenant = "bench-" + Long.toHexString(System.nanoTime());
        var laurel = new dev.laurel.app.Laurel(new dev.laurel.store.dynamodb.DynamoStore(ddb.client(), table),
                java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5));
        ObjectNode event = (ObjectNode) dev.laurel.it.Api.event("programs-put.json");
        ((ObjectNode) event.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        var out = dev.laurel.it.Api.invoke(new dev.laurel.functions.programs.ProgramsHandler(laurel), event);
        if (out.path("statusCode").asInt() != 201) {
            throw new IllegalStateException(out.toString());
        }
        System.out.println(ddb.endpoint() + " " + table + " " + tenant);
        System.out.flush();
        System.in.read();
        System.exit(0);
    }
}
