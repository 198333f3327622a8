package dev.laurel.tools;

import dev.laurel.api.Wiring;
import java.time.Instant;

/**
 * Creates an API key for a tenant: writes only its SHA-256 hash to the table and prints the key
 * once. Usage (table, region and credentials from the environment, as for the AWS CLI):
 *
 * <pre>
 * TABLE_NAME=laurel-LaurelTable-XXXX java -cp functions/authorizer/target/authorizer.jar \
 *     dev.laurel.tools.CreateApiKey --tenant acme --role admin [--name "ops laptop"] [--key KEY]
 * </pre>
 */
public final class CreateApiKey {
    private CreateApiKey() {
    }

    public static void main(String[] args) {
        String tenant = null;
        String role = null;
        String name = null;
        String key = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tenant" -> tenant = args[i + 1];
                case "--role" -> role = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--key" -> key = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (tenant == null || role == null || args.length % 2 != 0) {
            usage("--tenant and --role are required");
        }
        try {
            String created = Wiring.apiKeys().create(tenant, role, name, key, Instant.now());
            System.out.println(created);
        } catch (IllegalArgumentException | IllegalStateException e) {
            usage(e.getMessage());
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: TABLE_NAME=<table> java -cp authorizer.jar dev.laurel.tools.CreateApiKey "
                + "--tenant <id> --role admin|shop [--name <label>] [--key <key>]");
        System.exit(2);
    }
}
