package dev.laurel.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** What {@code ./laurel local} prints when it is ready: the URL, the keys, the dashboard, and three requests to try. */
public final class Banner {
    /** A request to try. {@code admin} says which of the two keys it uses. */
    public record Example(String method, String path, boolean admin, String body) {
        /** The request as a curl command line for a POSIX shell. */
        public String curl(URI base, String adminKey, String shopKey) {
            StringBuilder b = new StringBuilder("curl -s");
            if (!method.equals("GET")) {
                b.append(" -X ").append(method);
            }
            b.append(' ').append(base).append(path);
            b.append(" -H ").append(quote("Authorization: Bearer " + (admin ? adminKey : shopKey)));
            if (body != null) {
                b.append(" -H 'Content-Type: application/json' -d ").append(quote(body));
            }
            return b.toString();
        }
    }

    /** Create a program, earn on an order, look at the wallet. */
    public static final List<Example> EXAMPLES = List.of(
            new Example("PUT", "/v1/programs/demo", true,
                    "{\"name\": \"Demo Rewards\", \"currency\": \"EUR\", \"timezone\": \"Europe/Berlin\", "
                            + "\"earningRules\": [{\"id\": \"purchase\", \"trigger\": \"order.paid\", "
                            + "\"points\": {\"perAmount\": {\"points\": 1, \"amountMinor\": 100}}}], "
                            + "\"rewards\": [{\"id\": \"ten-off\", \"type\": \"discount_amount\", \"valueMinor\": 1000, \"cost\": 100}]}"),
            new Example("POST", "/v1/programs/demo/earn", false,
                    "{\"customerId\": \"c-1\", \"event\": {\"type\": \"order.paid\", \"id\": \"order-1\", "
                            + "\"order\": {\"totalMinor\": 12999, \"currency\": \"EUR\"}}}"),
            new Example("GET", "/v1/programs/demo/customers/c-1", false, null));

    private Banner() {
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The banner for a started server. */
    public static String render(LocalServer s, double readySeconds) {
        LocalServer.Options o = s.options();
        StringBuilder b = new StringBuilder();
        b.append("\nLaurel local is running on ").append(s.url())
                .append(String.format(" (ready in %.1f s)%n%n", readySeconds));
        b.append("  tenant     ").append(LocalServer.TENANT).append('\n');
        b.append("  admin key  ").append(o.adminKey()).append('\n');
        b.append("  shop key   ").append(o.shopKey()).append('\n');
        b.append("  data       ").append(o.inMemory() ? "in memory (gone when it stops)" : display(o.root(), o.dataDir())
                + "/ (kept between runs; --in-memory for a throwaway run)").append('\n');
        b.append("  DynamoDB   ").append(s.dynamoEndpoint()).append(", table ").append(s.tableName()).append('\n');
        b.append("  routes     ").append(s.routeKeys().size()).append(" from template.yaml; local: POST /local/clock, ")
                .append("POST /local/schedules/{name}/run, POST /local/streams/drain, GET /local/outbox\n");
        b.append("  dashboard  ").append(s.url()).append(StaticFolder.DASHBOARD).append("/ (reports; type the admin key in the page)\n");
        b.append("  demo shop  ").append(s.url()).append(StaticFolder.DEMO).append("/ (the wallet widget ")
                .append(StaticFolder.WIDGET).append("/laurel-wallet.js on a product page, and a till)\n");
        if (s.schedules().isEmpty()) {
            b.append("  schedules  none in template.yaml\n");
        } else {
            b.append("  schedules  ").append(s.schedules().stream()
                    .map(e -> e.definition().name() + " " + e.definition().expression()
                            + (e.next() == null ? " (not scheduled)" : ""))
                    .collect(Collectors.joining(", "))).append('\n');
        }
        for (String w : s.warnings()) {
            b.append("  warning    ").append(w).append('\n');
        }
        b.append("\nTry:\n");
        for (Example e : EXAMPLES) {
            b.append("  ").append(e.curl(s.url(), o.adminKey(), o.shopKey())).append('\n');
        }
        b.append("\nCtrl-C stops it").append(o.inMemory() ? "." : "; the data stays.").append('\n');
        return b.toString();
    }

    private static String display(Path root, Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return d.startsWith(root) ? root.relativize(d).toString() : d.toString();
    }
}
