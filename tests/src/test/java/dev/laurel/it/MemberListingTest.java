package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.local.LocalClock;
import dev.laurel.store.MemberStore.MemberPage;
import dev.laurel.store.dynamodb.Keys;
import dev.laurel.store.dynamodb.MemberIndexBackfill;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * GET /v1/programs/{programId}/customers: every member exactly once, in customer id order, across
 * pages and while members join; reads proportional to the page (one index Query, BatchGetItems,
 * never a Scan); balances as the wallet shows them; the admin role, tenancy and bad input.
 */
class MemberListingTest {
    static final String P = "/v1/programs/acme";

    /** Every request the functions make to DynamoDB, by operation name (and index for queries). */
    static final Map<String, Integer> CALLS = new ConcurrentHashMap<>();

    static DynamoDbClient watched() {
        return LocalDynamo.client(LocalDynamo.get().endpoint(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                SdkRequest r = context.request();
                String name = r.getClass().getSimpleName().replace("Request", "");
                if (r instanceof QueryRequest q) {
                    name += ":" + q.indexName();
                }
                CALLS.merge(name, 1, Integer::sum);
            }
        });
    }

    static Api withProgram() {
        Api api = new Api();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        return api;
    }

    /**
     * On a table of its own: for the tests that enrol thousands of members (the shared table stays
     * small, as the tests that scan it for their tenant's items want it).
     */
    static Api withProgramOnItsOwnTable() {
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        return api;
    }

    static void join(Api api, String customerId) {
        Api.Reply r = api.shop("PUT", P + "/customers/" + customerId, "{\"email\": \"" + customerId + "@example.com\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** Members joined by 4 threads. */
    static void joinAll(Api api, List<String> ids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String id : ids) {
                fs.add(pool.submit(() -> join(api, id)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Every page of the listing with {@code limit}; each page's ids in order. */
    static List<List<String>> pages(Api api, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            Api.Reply r = api.admin("GET", P + "/customers?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            r.body().path("customers").forEach(c -> ids.add(c.path("customerId").asText()));
            assertThat(ids.size()).isLessThanOrEqualTo(limit);
            pages.add(ids);
            cursor = r.body().path("cursor").asText(null);
        } while (cursor != null);
        return pages;
    }

    static List<String> flat(List<List<String>> pages) {
        List<String> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }

    @Test
    void pagesThroughEveryMemberOnceInOrderWhileMembersJoin() throws Exception {
        Api api = withProgramOnItsOwnTable();
        Random random = new Random(11);
        List<String> before = new ArrayList<>();
        // 1,000 members in pages of 40 cross as many page boundaries as 2,500 in pages of 100
        // (README "Long runs": -Dlaurel.long=true runs 2,500 in pages of 100)
        int members = LongRuns.size(1000, 2500);
        int page = LongRuns.size(40, 100);
        for (int i = 0; i < members; i++) {
            before.add(String.format("m-%06d", random.nextInt(1_000_000)) + "-" + i);
        }
        joinAll(api, before);

        // 300 newcomers join while the listing pages through, their ids spread over the whole order
        List<String> newcomers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            newcomers.add(String.format("m-%06d", random.nextInt(1_000_000)) + "-new" + i);
        }
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService joiner = Executors.newSingleThreadExecutor();
        Future<?> joining = joiner.submit(() -> {
            for (String id : newcomers) {
                join(api, id);
            }
            done.set(true);
        });
        List<List<String>> pages = pages(api, page);
        boolean overlapped = !done.get();
        joining.get(2, TimeUnit.MINUTES);
        joiner.shutdown();

        List<String> listed = flat(pages);
        assertThat(new HashSet<>(listed)).as("no member twice").hasSize(listed.size());
        assertThat(listed).as("one stable order across pages: customer id").isSorted();
        assertThat(listed).as("every member who was there when the listing started").containsAll(before);
        Set<String> known = new HashSet<>(before);
        known.addAll(newcomers);
        assertThat(known).as("only members").containsAll(listed);
        assertThat(overlapped).as("members joined while the listing paged").isTrue();
        assertThat(pages.size()).isGreaterThanOrEqualTo(25);

        // afterwards: everyone, once, the same with pages of 1000 and of 7
        List<String> all = new ArrayList<>(known);
        Collections.sort(all);
        assertThat(flat(pages(api, 1000))).isEqualTo(all);
        assertThat(flat(pages(api, 1000)).subList(0, 7)).isEqualTo(pages(api, 7).get(0));
    }

    @Test
    void aPageReadsInProportionToItsSizeAndNeverScans() throws Exception {
        DynamoDbClient client = watched();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200),
                LocalDynamo.freshTable(), client);
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            ids.add(String.format("c-%05d", i));
        }
        joinAll(api, ids);
        // a few members with 60 lots each: their profile items are larger, their listed fields are not
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 60; k++) {
                api.shop("POST", P + "/earn", Api.orderPaid("c-0000" + i, "o-" + i + "-" + k, 1000 + k,
                        Instant.parse("2026-11-23T09:00:00Z").minus(Duration.ofDays(k)).toString()));
            }
        }

        CALLS.clear();
        Api.Reply hundred = api.admin("GET", P + "/customers?limit=100", null);
        assertThat(hundred.body().path("customers").size()).isEqualTo(100);
        assertThat(CALLS).as("one index query, one batch read (the program is cached)")
                .containsEntry("Query:" + "lists", 1).containsEntry("BatchGetItem", 1).doesNotContainKey("Scan");
        CALLS.clear();
        Api.Reply thousand = api.admin("GET", P + "/customers?limit=1000", null);
        assertThat(thousand.body().path("customers").size()).isEqualTo(1000);
        assertThat(CALLS).containsEntry("Query:lists", 1).containsEntry("BatchGetItem", 10).doesNotContainKey("Scan");

        MemberPage p100 = api.store.members(api.tenant, "acme", 100, null, api.clock.instant());
        MemberPage p1000 = api.store.members(api.tenant, "acme", 1000, null, api.clock.instant());
        MemberPage last = api.store.members(api.tenant, "acme", 1000, "c-01099", api.clock.instant());
        System.out.printf("member listing read units: page of 100 %.1f RCU, page of 1000 %.1f RCU, last page of 100 %.1f RCU%n",
                p100.readUnits(), p1000.readUnits(), last.readUnits());
        assertThat(p100.members()).hasSize(100);
        assertThat(p100.more()).isTrue();
        assertThat(last.members()).hasSize(100);
        assertThat(last.more()).isFalse();
        // proportional: eventually consistent reads of small profiles (0.5 RCU each) and the page's keys
        assertThat(p100.readUnits()).isGreaterThan(0).isLessThanOrEqualTo(100 * 0.5 + 5);
        assertThat(p1000.readUnits()).isLessThanOrEqualTo(1000 * 0.5 + 50).isGreaterThan(p100.readUnits() * 5);
    }

    @Test
    void balancesAreTheWalletsEvenBeforeTheExpiryRunRecordsAnExpiry() {
        Api api = withProgram();
        // c-1 earns now, c-2 a year ago (that lot expires in a day), c-3 both
        api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 12999, "2026-11-23T09:00:00Z"));
        api.shop("POST", P + "/earn", Api.orderPaid("c-2", "o-2", 5000, "2025-11-24T09:00:00Z"));
        api.shop("POST", P + "/earn", Api.orderPaid("c-3", "o-3", 7000, "2025-11-24T09:00:00Z"));
        api.shop("POST", P + "/earn", Api.orderPaid("c-3", "o-4", 3000, "2026-11-23T09:00:00Z"));
        assertListingIsTheWallets(api);
        api.clock.set(Instant.parse("2026-11-26T09:00:00Z")); // the year-old lots have expired; no run recorded it
        JsonNode c3 = assertListingIsTheWallets(api).get(2);
        assertThat(c3.at("/balance/available").asLong()).isEqualTo(30);
    }

    /** The listing's balance and tier id of each member equal their wallet's; returns the listed members. */
    private static List<JsonNode> assertListingIsTheWallets(Api api) {
        Api.Reply list = api.admin("GET", P + "/customers", null);
        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> members = new ArrayList<>();
        list.body().path("customers").forEach(members::add);
        assertThat(members).hasSize(3);
        for (JsonNode m : members) {
            Api.Reply wallet = api.shop("GET", P + "/customers/" + m.path("customerId").asText(), null);
            assertThat(m.path("balance")).as(m.toString()).isEqualTo(wallet.body().path("balance"));
            assertThat(m.path("tier")).isEqualTo(wallet.body().path("tier"));
        }
        return members;
    }

    @Test
    void aMemberShowsEveryListedFieldAndTheExportsExtras() {
        Api api = withProgram();
        Api.Reply up = api.shop("PUT", P + "/customers/ada", """
                {"email": "ada@example.com", "attributes": {"country": "DE", "note": "=1+1, \\"quoted\\"\\nline"},
                 "consent": {"marketing": true}}""");
        assertThat(up.status()).isEqualTo(201);
        JsonNode m = api.admin("GET", P + "/customers", null).body().at("/customers/0");
        assertThat(m.path("customerId").asText()).isEqualTo("ada");
        assertThat(m.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(m.at("/tier/id").asText()).isEqualTo("bronze");
        assertThat(m.at("/balance/available").isIntegralNumber()).isTrue();
        assertThat(m.path("joinedAt").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(m.has("referralCode")).isTrue();
        assertThat(m.at("/consent/marketing").asBoolean()).isTrue();
        assertThat(m.at("/attributes/note").asText()).isEqualTo("=1+1, \"quoted\"\nline");
    }

    @Test
    void aProfileStoredBeforeTheIndexIsListedAfterItsNextWrite() {
        Api api = withProgram();
        join(api, "old");
        join(api, "new");
        // as a profile created before the members index: without its index keys
        api.store.client().updateItem(b -> b.tableName(api.store.table())
                .key(Map.of("pk", AttributeValue.fromS(Keys.customer(api.tenant, "acme", "old")), "sk", AttributeValue.fromS(Keys.PROFILE)))
                .updateExpression("REMOVE listKey, listSort"));
        assertThat(flat(pages(api, 100))).containsExactly("new");
        api.shop("POST", P + "/earn", Api.orderPaid("old", "o-1", 1000, "2026-11-23T09:00:00Z"));
        assertThat(flat(pages(api, 100))).containsExactly("new", "old");
    }

    @Test
    void theOneOffBackfillKeysEveryProfileStoredBeforeTheIndexOnce() {
        Api api = withProgramOnItsOwnTable(); // the backfill scans its table
        for (String id : List.of("a", "b", "c")) {
            join(api, id);
        }
        api.shop("POST", P + "/earn", Api.orderPaid("b", "o-1", 1000, "2026-11-23T09:00:00Z")); // a ledger entry, not a profile
        for (String id : List.of("a", "c")) {
            api.store.client().updateItem(b -> b.tableName(api.store.table())
                    .key(Map.of("pk", AttributeValue.fromS(Keys.customer(api.tenant, "acme", id)), "sk", AttributeValue.fromS(Keys.PROFILE)))
                    .updateExpression("REMOVE listKey, listSort"));
        }
        assertThat(flat(pages(api, 100))).containsExactly("b");
        List<Long> seen = new ArrayList<>();
        assertThat(MemberIndexBackfill.run(api.store.client(), api.store.table(), seen::add)).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(flat(pages(api, 100))).containsExactly("a", "b", "c");
        assertThat(MemberIndexBackfill.run(api.store.client(), api.store.table(), seen::add)).as("run again: nothing to do").isZero();
        Api.Reply wallet = api.shop("GET", P + "/customers/a", null);
        assertThat(wallet.status()).isEqualTo(200);
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("a", "o-2", 1000, "2026-11-23T09:00:00Z")).status())
                .as("the backfill left seq alone: the member's next write goes through").isEqualTo(200);
    }

    @Test
    void aPageStopsShortOfTheLambdaAnswerLimitWithLargeAttributes() throws Exception {
        Api api = withProgramOnItsOwnTable();
        String big = "x".repeat(15_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(String.format("big-%03d", i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Api.Reply>> fs = new ArrayList<>();
        for (String id : ids) {
            fs.add(pool.submit(() -> api.shop("PUT", P + "/customers/" + id, "{\"attributes\": {\"bio\": \"" + big + "\"}}")));
        }
        for (Future<Api.Reply> f : fs) {
            assertThat(f.get().status()).isEqualTo(201);
        }
        pool.shutdown();
        Api.Reply first = api.admin("GET", P + "/customers?limit=1000", null);
        int n = first.body().path("customers").size();
        assertThat(n).as("cut by size").isBetween(1, 149);
        assertThat(first.body().path("cursor").isTextual()).isTrue();
        assertThat(flat(pages(api, 1000))).isEqualTo(new ArrayList<>(new TreeSet<>(ids)));
    }

    @Test
    void aShopKeyIsForbiddenAndAnotherTenantsProgramIsNotFound() {
        Api api = withProgram();
        join(api, "c-1");
        Api.Reply shop = api.shop("GET", P + "/customers", null);
        assertThat(shop.status()).isEqualTo(403);
        assertThat(shop.code()).isEqualTo("forbidden");
        assertThat(api.admin("GET", "/v1/programs/nope/customers", null).status()).isEqualTo(404);
        Api other = new Api();
        Api.Reply foreign = other.admin("GET", P + "/customers", null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not_found");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "?limit=0              | limit",
        "?limit=1001           | limit",
        "?limit=-1             | limit",
        "?limit=%2B5           | limit",
        "?limit=1.5            | limit",
        "?limit=abc            | limit",
        "?limit=               | limit",
        "?limit=99999999999999 | limit",
        "?cursor=              | cursor",
        "?cursor=%25%25        | cursor",
        "?cursor=YWJj%3D       | cursor",
        "?cursor=I2JhZA        | cursor",
        "?page=2               | page",
    })
    void badInputAnswers400NamingTheField(String query, String field) {
        Api api = withProgram();
        join(api, "c-1");
        Api.Reply r = api.admin("GET", P + "/customers" + query, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(r.field()).isEqualTo(field);
    }
}
