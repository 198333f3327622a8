package dev.laurel.api;

import dev.laurel.store.Meter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The one structured log line of a request, a scheduled batch or a stream batch (docs/operations.md):
 * a JSON object with the request id, tenant, program, operation, outcome, latency and the DynamoDB
 * round trips and capacity of its {@link Meter}, which is also a CloudWatch Embedded Metric Format
 * document: its {@code _aws} block makes CloudWatch Logs extract the metrics (namespace
 * {@value #NAMESPACE}, dimension {@code operation}, and the same metrics without a dimension for the
 * alarms), so metrics cost no call. No personal data: a customer appears only as {@link #pseudonym}
 * (a salted SHA-256 prefix); bodies, e-mails, names and attributes are never written.
 */
public final class RequestLog {
    public static final String NAMESPACE = "Laurel";
    /** The per-deployment salt of {@link #pseudonym} (template.yaml sets it to the stack's id). */
    static final String SALT = System.getenv().getOrDefault("LAUREL_LOG_SALT", "");
    private static final String[] METRICS = {"Requests", "Count", "Errors", "Count", "Faults", "Count", "Latency", "Milliseconds",
        "DynamoDBCalls", "Count", "ConsumedRCU", "None", "ConsumedWCU", "None"};

    private RequestLog() {
    }

    /**
     * One line. {@code kind} is {@code request}, {@code schedule} or {@code stream}; {@code status} an
     * HTTP status (a batch: 200, or 500 when it failed); {@code error} the error code or null;
     * {@code extra} a JSON object's members to add as they are (a run's figures), or null.
     */
    public static String line(String kind, String requestId, String tenant, String program, String customer, String operation,
                              int status, String error, long startedAtMs, long latencyMs, Meter meter, String extra) {
        StringBuilder b = new StringBuilder(640);
        Map<String, Long> counts = meter == null ? Map.of() : meter.counts();
        b.append("{\"_aws\":{\"Timestamp\":").append(startedAtMs).append(",\"CloudWatchMetrics\":[{\"Namespace\":\"")
                .append(NAMESPACE).append("\",\"Dimensions\":[[\"operation\"],[]],\"Metrics\":[");
        for (int i = 0; i < METRICS.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"Name\":\"").append(METRICS[i]).append("\",\"Unit\":\"").append(METRICS[i + 1]).append("\"}");
        }
        for (String name : counts.keySet()) {
            b.append(",{\"Name\":\"").append(name).append("\",\"Unit\":\"Count\"}");
        }
        b.append("]}]}");
        field(b, "level", status >= 500 ? "ERROR" : "INFO");
        field(b, "kind", kind);
        field(b, "requestId", requestId);
        field(b, "tenant", tenant);
        field(b, "program", program);
        if (customer != null && !customer.isEmpty()) {
            field(b, "customer", pseudonym(tenant, customer));
        }
        field(b, "operation", operation);
        b.append(",\"status\":").append(status);
        field(b, "outcome", status / 100 + "xx");
        if (error != null) {
            field(b, "error", error);
        }
        b.append(",\"Requests\":1,\"Errors\":").append(status >= 400 && status < 500 ? 1 : 0)
                .append(",\"Faults\":").append(status >= 500 ? 1 : 0)
                .append(",\"Latency\":").append(latencyMs)
                .append(",\"DynamoDBCalls\":").append(meter == null ? 0 : meter.calls())
                .append(",\"ConsumedRCU\":").append(meter == null ? 0.0 : meter.readUnits())
                .append(",\"ConsumedWCU\":").append(meter == null ? 0.0 : meter.writeUnits());
        counts.forEach((name, n) -> b.append(",\"").append(name).append("\":").append(n));
        if (extra != null && extra.length() > 2 && extra.startsWith("{")) {
            b.append(",\"run\":").append(extra);
        }
        return b.append('}').toString();
    }

    /**
     * A customer's id (or an e-mail) as the log shows it: the first 16 hex digits of
     * SHA-256(salt, tenant, value). The same customer has the same pseudonym in every line of one
     * deployment, so an operator who knows the id (and the salt) finds its requests; the log alone
     * does not give the id back.
     */
    public static String pseudonym(String tenant, String value) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(SALT.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(String.valueOf(tenant).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            byte[] h = d.digest(value.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                s.append(Character.forDigit((h[i] >> 4) & 0xf, 16)).append(Character.forDigit(h[i] & 0xf, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
