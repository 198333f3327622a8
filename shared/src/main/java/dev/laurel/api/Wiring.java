package dev.laurel.api;

import dev.laurel.app.ApiKeys;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.store.Change;
import dev.laurel.store.dynamodb.DynamoStore;
import dev.laurel.store.dynamodb.StreamItems;
import java.time.Clock;

/**
 * Where a Lambda container's real parts are built from its environment (the composition root):
 * the DynamoDB store ({@code TABLE_NAME}, endpoint overrides), the system clock, the default
 * program re-check. Tests and the local runner build {@link Laurel} themselves, on DynamoDB Local
 * and their own clock.
 */
public final class Wiring {
    private Wiring() {
    }

    public static Laurel laurel() {
        return new Laurel(DynamoStore.fromEnvironment(), Clock.systemUTC(), ProgramCache.DEFAULT_RECHECK)
                .splittingBudgetsAt(budgetSplitThreshold(System.getenv(BUDGET_SPLIT_THRESHOLD)));
    }

    /** The environment variable of the template's {@code BudgetSplitThreshold} (redeem and validate have it). */
    public static final String BUDGET_SPLIT_THRESHOLD = "LAUREL_BUDGET_SPLIT_THRESHOLD";

    /**
     * The budget split threshold as set ({@link dev.laurel.domain.Budgets#splitThreshold}): unset or
     * blank, the default; anything else not a whole number of at least 8 stops the function's start.
     */
    public static long budgetSplitThreshold(String setting) {
        return dev.laurel.domain.Budgets.splitThreshold(setting);
    }

    /**
     * SnapStart priming: each of {@code operations} (IAM action names; {@code ConditionCheckItem}
     * stands for the transactions) marshalled and stopped before transmission, on a client of its own
     * ({@link dev.laurel.store.dynamodb.PrimingCalls}). Answers how many requests were stopped.
     */
    public static int primeDynamoDb(java.util.Set<String> operations) {
        java.util.Set<dev.laurel.store.dynamodb.PrimingCalls.Operation> ops = new java.util.HashSet<>();
        for (String o : operations) {
            ops.add(dev.laurel.store.dynamodb.PrimingCalls.Operation.valueOf(o.equals("ConditionCheckItem") ? "TransactWriteItems" : o));
        }
        return dev.laurel.store.dynamodb.PrimingCalls.marshalEach(ops);
    }

    /**
     * SnapStart priming of the function's transactions: {@code work} on a store whose DynamoDB client
     * answers in the process from a throw-away table seeded with {@code definition}
     * ({@link dev.laurel.store.dynamodb.PrimingTable}); nothing reaches a network or a table. Answers
     * how many requests that table answered.
     */
    public static int withPrimingStore(String tenant, String programId, String definition,
                                       java.util.function.Consumer<dev.laurel.store.Store> work) {
        return dev.laurel.store.dynamodb.PrimingTable.with(tenant, programId, definition, work);
    }

    /** How the table's stream records read as changes (the table's item layout). */
    public static Change.Reader streamItems() {
        return StreamItems::change;
    }

    /**
     * Where outbound webhooks may go when deployed: https URLs of public addresses
     * ({@code LAUREL_WEBHOOKS_ALLOW_PRIVATE=true} lifts the address check, as for reminders).
     */
    public static dev.laurel.notify.WebhookTargets webhookTargets() {
        return dev.laurel.notify.WebhookTargets.deployed(Boolean.parseBoolean(System.getenv("LAUREL_WEBHOOKS_ALLOW_PRIVATE")));
    }

    /**
     * The one-off backfill of the members index for profiles stored before it (see
     * {@code store.dynamodb.MemberIndexBackfill}) on the table of the environment; answers how many it keyed.
     */
    public static long backfillMemberIndex(java.util.function.LongConsumer keyed) {
        DynamoStore store = DynamoStore.fromEnvironment();
        return dev.laurel.store.dynamodb.MemberIndexBackfill.run(store.client(), store.table(), keyed);
    }

    /** API keys on the table of the environment, without an in-function cache (the CLI's). */
    public static ApiKeys apiKeys() {
        return new ApiKeys(DynamoStore.fromEnvironment());
    }

    /**
     * The authorizer's API keys: an in-function cache of {@code API_KEY_CACHE_SECONDS} (the
     * template's {@code AuthorizerCacheSeconds}, as API Gateway's result cache; unset: none).
     */
    public static ApiKeys authorizerApiKeys() {
        String ttl = System.getenv("API_KEY_CACHE_SECONDS");
        long seconds = ttl == null || ttl.isBlank() ? 0 : Long.parseLong(ttl.trim());
        return new ApiKeys(DynamoStore.fromEnvironment(), java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(seconds));
    }
}
