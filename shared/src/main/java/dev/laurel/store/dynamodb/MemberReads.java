package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.store.MemberStore.ListedMember;
import dev.laurel.store.MemberStore.MemberPage;
import dev.laurel.store.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The member listing's reads: one Query of the {@code lists} index (keys only, in customer id
 * order, one key more than the page to know whether more follow), one BatchGetItem per 100 of
 * the page's profiles with a projection of the listed fields (never the lots map), and one more
 * of the profiles whose stored balances may be out of date (their {@code dueAt} has come: a lot
 * expired or a return window ended since their last write), read whole to be settled exactly.
 * Index and batch reads are eventually consistent (an index cannot be read otherwise; the
 * listing is no decision, so it pays half), the re-read of out-of-date profiles is consistent.
 */
final class MemberReads {
    /**
     * The profile attributes a listing shows, {@code rulePoints} for the tier window's month counters
     * (bounded: the rules' cap counters and at most 13 months), and {@code dueAt} to know whether the
     * balances are current.
     */
    private static final List<String> LISTED = List.of("customerId", "email", "tier", "available", "pending",
            "lifetimeEarned", "owed", "joinedAt", "referralCode", "marketingConsent", "attrs", "rulePoints", Index.DUE_AT);

    private final DynamoDbClient ddb;
    private final String table;

    MemberReads(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    MemberPage members(String tenant, String programId, int limit, String afterId, Instant now) {
        Usage usage = new Usage();
        List<String> ids = ids(Keys.program(tenant, programId), limit + 1, afterId, usage);
        boolean more = ids.size() > limit;
        if (more) {
            ids = ids.subList(0, limit);
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(Av.key(Keys.customer(tenant, programId, id), Keys.PROFILE));
        }
        Map<String, Map<String, AttributeValue>> profiles = new HashMap<>();
        for (Map<String, AttributeValue> p : listed(keys, usage)) {
            profiles.put(str(p, "customerId"), p);
        }
        List<Map<String, AttributeValue>> stale = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> p = profiles.get(id);
            Long due = p == null ? null : Av.numOrNull(p, Index.DUE_AT);
            if (due != null && due <= now.getEpochSecond()) {
                stale.add(Av.key(Keys.customer(tenant, programId, id), Keys.PROFILE));
            }
        }
        if (!stale.isEmpty()) {
            for (Map<String, AttributeValue> whole : Reads.batchGet(ddb, table, stale, usage)) {
                profiles.put(str(whole, "customerId"), whole);
            }
        }
        List<ListedMember> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Map<String, AttributeValue> p = profiles.get(id);
            if (p != null) { // the index follows the table: a key it lists is a profile the table holds
                out.add(new ListedMember(Reads.customer(id, p), str(p, "referralCode")));
            }
        }
        return new MemberPage(out, more, usage.readUnits());
    }

    /** Up to {@code want} customer ids of the program after {@code afterId}, in order (a page of keys fits one answer). */
    private List<String> ids(String programKey, int want, String afterId, Usage usage) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", s(programKey));
        String condition = Index.LIST_KEY + " = :p";
        if (afterId != null) {
            values.put(":a", s(afterId));
            condition += " AND " + Index.LIST_SORT + " > :a";
        }
        String keyCondition = Expr.alias(condition, names);
        List<String> ids = new ArrayList<>(want);
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = ddb.query(b -> b.tableName(table).indexName(Index.LISTS)
                    .keyConditionExpression(keyCondition).expressionAttributeNames(names)
                    .expressionAttributeValues(values).limit(want - ids.size()).exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            ScheduledStore.add(usage, r.consumedCapacity());
            r.items().forEach(i -> ids.add(str(i, Index.LIST_SORT)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && ids.size() < want);
        return ids;
    }

    /** The listed fields of these profiles: BatchGetItem, 100 keys at a time, unprocessed keys again with backoff. */
    private List<Map<String, AttributeValue>> listed(List<Map<String, AttributeValue>> keys, Usage usage) {
        Map<String, String> names = new HashMap<>();
        String projection = Expr.alias(String.join(", ", LISTED), names);
        List<Map<String, AttributeValue>> out = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(chunk)
                    .projectionExpression(projection).expressionAttributeNames(names).build());
            int attempts = 0;
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> req = request;
                BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(req).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                r.consumedCapacity().forEach(c -> ScheduledStore.add(usage, c));
                out.addAll(r.responses().getOrDefault(table, List.of()));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : null;
                if (request != null && !request.isEmpty()) {
                    Reads.pauseOrGiveUp(++attempts, "unprocessed keys");
                }
            }
        }
        return out;
    }
}
