package dev.laurel.store.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single table's key layout. Every key of a tenant starts with {@code T#<tenant>#}, so no
 * query can reach another tenant's items. Ids cannot contain {@code #}, so keys never collide.
 *
 * <pre>
 * pk                                   sk                     item
 * T#t#P#p                              DEF                    program definition + version
 * T#t#P#p                              BUDGET#rule#r          points used from a rule's total budget
 * T#t#P#p                              BUDGET#reward#w        redemptions / discount / order value used
 *                                                             (of a hot budget: its sub-counter 0)
 * T#t#P#p#B#w#i                        BUDGET                 a hot budget's sub-counter i (1..N-1), own partition
 *                                                             key; its shares and rooms: SplitTx
 * T#t#P#p#C#c                          E#millis#id            ledger entry (newest first by sk)
 * T#t#P#p#C#c                          P                      profile: balances, tier, counters, seq, and
 *                                                             the lots still holding points (map lotId → lot);
 *                                                             listKey (T#t#P#p) and listSort (customer id) key it in the lists index
 * T#t#P#p#C#c                          X#orderId              what an order earned and refunded
 * T#t#P#p#C#c                          N#type[:subject]       a reminder: queued, sent, skipped or dead
 * T#t#DEAD                             at#program#customer#id a reminder that could not be delivered
 * T#t#P#p#I#scope#key                  I                      idempotency record with the answer
 * T#t#P#p#R#redemptionId               R                      redemption (for rollback)
 * T#t#P#p#O#orderId                    STACK                  rewards stacked on an order
 * T#t#P#p#K#code                       K                      a reward code: its redemption, status, use
 * T#t#P#p#REF#code                     REF                    a member's referral code: its customerId ({@link ReferralItems})
 * T#t#P#p#REPORT                       D#yyyy-MM-dd           a day's report figures (program's time zone) and,
 *                                                             per stream shard, its last applied sequence
 * T#t#P#p#REPORT                       OUTSTANDING            the program's outstanding points, per-shard sequences
 * T#t#P#p#C#c                          H#webhookId#eventId    an outbound webhook delivery of one event of this
 *                                                             customer (index keys while due, failed or dead)
 * T#t#WEBHOOKS                         W#webhookId            an outbound webhook: URL, secret, events, programs
 * KEY#sha256                           KEY                    API key: tenant, role, keyId, lastUsedDay (UTC)
 * T#t#KEYS                             K#keyId                the tenant's list of keys: prefix, role, name, hash
 * T#t#KEYS                             COUNT                  the tenant's keys and admin keys (limit, last admin)
 * </pre>
 */
public final class Keys {
    public static final String PROFILE = "P";
    public static final String DEF = "DEF";
    static final String LEDGER_PREFIX = "E#";
    static final String ORDER_PREFIX = "X#";
    static final String NOTIFICATION_PREFIX = "N#";
    static final String REDEMPTION = "R";
    static final String CODE = "K";
    static final String REPORT_DAY_PREFIX = "D#";
    static final String REPORT_OUTSTANDING = "OUTSTANDING";
    static final String DELIVERY_PREFIX = "H#";

    private Keys() {
    }

    public static String program(String tenant, String programId) {
        return "T#" + tenant + "#P#" + programId;
    }

    public static String customer(String tenant, String programId, String customerId) {
        return program(tenant, programId) + "#C#" + customerId;
    }

    static String idempotency(String tenant, String programId, String scope, String key) {
        return program(tenant, programId) + "#I#" + scope + "#" + key;
    }

    static String redemption(String tenant, String programId, String redemptionId) {
        return program(tenant, programId) + "#R#" + redemptionId;
    }

    static String code(String tenant, String programId, String code) {
        return program(tenant, programId) + "#K#" + code;
    }

    /** The tenant, program and code a code item's key names (null when it is no such key). */
    static String[] parseCode(String pk) {
        String[] p = pk.split("#", -1);
        if (p.length != 6 || !p[0].equals("T") || !p[2].equals("P") || !p[4].equals("K")) {
            return null;
        }
        return new String[] {p[1], p[3], p[5]};
    }

    static String orderStack(String tenant, String programId, String orderId) {
        return program(tenant, programId) + "#O#" + orderId;
    }

    public static String notification(String notificationId) {
        return NOTIFICATION_PREFIX + notificationId;
    }

    static String deadLetters(String tenant) {
        return "T#" + tenant + "#DEAD";
    }

    /** The tenant, program and customer a customer-partition key names (null when it is no such key). */
    static String[] parseCustomer(String pk) {
        String[] p = pk.split("#", -1);
        if (p.length != 6 || !p[0].equals("T") || !p[2].equals("P") || !p[4].equals("C")) {
            return null;
        }
        return new String[] {p[1], p[3], p[5]};
    }

    static String report(String tenant, String programId) {
        return program(tenant, programId) + "#REPORT";
    }

    static String reportDay(java.time.LocalDate day) {
        return REPORT_DAY_PREFIX + day;
    }

    static java.time.LocalDate parseReportDay(String sk) {
        return java.time.LocalDate.parse(sk.substring(REPORT_DAY_PREFIX.length()));
    }

    /** The tenant, program and redemption a redemption key names (null when it is no such key). */
    static String[] parseRedemption(String pk) {
        String[] p = pk.split("#", -1);
        if (p.length != 6 || !p[0].equals("T") || !p[2].equals("P") || !p[4].equals("R")) {
            return null;
        }
        return new String[] {p[1], p[3], p[5]};
    }

    static String webhooks(String tenant) {
        return "T#" + tenant + "#WEBHOOKS";
    }

    static String webhook(String webhookId) {
        return "W#" + webhookId;
    }

    /** A delivery's sort key in the partition of its event's item. */
    static String delivery(String webhookId, String eventId) {
        return DELIVERY_PREFIX + webhookId + "#" + eventId;
    }

    /** The {@code deliveries} index's partition of one webhook's deliveries in one status (failed or dead). */
    static String deliveryList(String tenant, String webhookId, String status) {
        return "T#" + tenant + "#W#" + webhookId + "#" + status;
    }

    static String ruleBudget(String ruleId) {
        return "BUDGET#rule#" + ruleId;
    }

    static String rewardBudget(String rewardId) {
        return "BUDGET#reward#" + rewardId;
    }

    /** The key of sub-counter {@code i} of a reward's budget (0: the budget item itself, in the program's partition). */
    static Map<String, AttributeValue> rewardBudget(String tenant, String programId, String rewardId, int i) {
        return i == 0 ? Av.key(program(tenant, programId), rewardBudget(rewardId))
                : Av.key(program(tenant, programId) + "#B#" + rewardId + "#" + i, "BUDGET");
    }

    static String apiKey(String sha256Hex) {
        return "KEY#" + sha256Hex;
    }

    static String apiKeys(String tenant) {
        return "T#" + tenant + "#KEYS";
    }

    static String ledger(long millis, String entryId) {
        return LEDGER_PREFIX + String.format("%013d", millis) + "#" + entryId;
    }

}
