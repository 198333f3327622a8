package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.store.Commit;
import dev.laurel.store.MemberStore.MemberPage;
import dev.laurel.store.ApiKeyStore.StoredKey;
import dev.laurel.store.Records.ApiKey;
import dev.laurel.store.Records.Cursor;
import dev.laurel.store.Records.DeadLetter;
import dev.laurel.store.Records.DuePage;
import dev.laurel.store.Records.DueProfile;
import dev.laurel.store.Records.EarnRead;
import dev.laurel.store.Records.EarnWrite;
import dev.laurel.store.Records.ExpireWrite;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.Records.Items;
import dev.laurel.store.Records.LedgerPage;
import dev.laurel.store.Records.RedeemWrite;
import dev.laurel.store.Records.Redemption;
import dev.laurel.store.Records.RefundRead;
import dev.laurel.store.Records.RefundWrite;
import dev.laurel.store.Records.RemindWrite;
import dev.laurel.store.Records.RollbackWrite;
import dev.laurel.store.Records.StoredNotification;
import dev.laurel.store.Records.StoredProgram;
import dev.laurel.store.Records.ValidateRead;
import dev.laurel.store.Store;
import dev.laurel.store.Usage;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.ReportStore.ReportRead;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Laurel's storage on one DynamoDB table (layout in {@link Keys}): the one implementation of the
 * ports ({@link Store}). Reads are one round trip ({@link Reads}, {@link ScheduledStore}); every
 * state change is one {@code TransactWriteItems} built by its own class ({@link EarnTx},
 * {@link RedeemTx}, {@link RollbackTx}, {@link RefundTx}, {@link ExpireTx}, {@link RemindTx})
 * carrying its idempotency record, ledger entries, balance and lot changes, and every budget it
 * touches, each with a condition, and ended by {@link Tx#commit}. The database unreachable or
 * throttling past the SDK's retries, in any of them, is the refusal {@code unavailable} ({@link Outages}).
 */
public final class DynamoStore implements Store {
    private final DynamoDbClient ddb;
    /** The client as given (what {@link #client()} answers); {@link #ddb} meters it per request ({@link MeteredClient}). */
    private final DynamoDbClient given;
    private final String table;
    private final Reads reads;
    private final ScheduledStore scheduled;
    private final RunFailures failures;
    private final ReportItems reports;
    private final WebhookStore webhookStore;
    private final MemberReads members;
    private final ApiKeyItems apiKeys;

    public DynamoStore(DynamoDbClient ddb, String table) {
        this.given = Objects.requireNonNull(ddb, "ddb");
        ddb = new MeteredClient(ddb);
        this.ddb = ddb;
        this.table = Objects.requireNonNull(table, "table");
        this.reads = new Reads(ddb, table);
        this.scheduled = new ScheduledStore(ddb, table);
        this.failures = new RunFailures(ddb, table);
        this.reports = new ReportItems(ddb, table);
        this.webhookStore = new DynamoWebhooks(new WebhookItems(ddb, table));
        this.members = new MemberReads(ddb, table);
        this.apiKeys = new ApiKeyItems(ddb, table);
    }

    /**
     * The client a Lambda uses: the small URL-connection HTTP client, region and credentials from
     * the environment, and the endpoint from {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL}
     * when set (LocalStack, DynamoDB Local, moto).
     */
    public static DynamoDbClient clientFromEnvironment() {
        var b = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint == null || endpoint.isBlank()) {
            endpoint = System.getenv("AWS_ENDPOINT_URL");
        }
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(java.net.URI.create(endpoint));
        }
        return b.build();
    }

    /** The table named by {@code TABLE_NAME}, through {@link #clientFromEnvironment()}. */
    public static DynamoStore fromEnvironment() {
        String table = System.getenv("TABLE_NAME");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("TABLE_NAME is not set");
        }
        return new DynamoStore(clientFromEnvironment(), table);
    }

    public DynamoDbClient client() {
        return given;
    }

    public String table() {
        return table;
    }

    // ---------------------------------------------------------------- programs and keys

    @Override
    public Optional<StoredProgram> program(String tenant, String programId) {
        return Outages.guard(() -> reads.program(tenant, programId));
    }

    @Override
    public OptionalLong programVersion(String tenant, String programId) {
        return Outages.guard(() -> reads.programVersion(tenant, programId));
    }

    @Override
    public OptionalLong saveProgram(String tenant, String programId, String definition, Long ifMatch, Instant now) {
        return Outages.guard(() -> ProgramWrite.save(ddb, table, tenant, programId, definition, ifMatch, now));
    }

    @Override
    public Commit createApiKey(String sha256Hex, String tenant, StoredKey key, int maxPerTenant) {
        return Outages.guard(() -> apiKeys.create(sha256Hex, tenant, key, maxPerTenant));
    }

    @Override
    public List<StoredKey> apiKeys(String tenant) {
        return Outages.guard(() -> apiKeys.list(tenant));
    }

    @Override
    public Commit deleteApiKey(String tenant, String keyId) {
        return Outages.guard(() -> apiKeys.delete(tenant, keyId));
    }

    @Override
    public Optional<ApiKey> apiKey(String sha256Hex) {
        return Outages.guard(() -> apiKeys.get(sha256Hex));
    }

    @Override
    public boolean markApiKeyUsed(String sha256Hex, java.time.LocalDate day) {
        return Outages.guard(() -> apiKeys.markUsed(sha256Hex, day));
    }

    // ---------------------------------------------------------------- customers

    @Override
    public EarnRead readForEarn(String tenant, String programId, String customerId, Collection<String> budgetRuleIds) {
        return Outages.guard(() -> reads.readForEarn(tenant, programId, customerId, budgetRuleIds));
    }

    @Override
    public ValidateRead readForValidate(String tenant, String programId, String customerId, String orderId,
                                        Collection<String> budgetRewardIds, Collection<String> splitRewardIds,
                                        Collection<String> budgetRuleIds) {
        return Outages.guard(() -> reads.readForValidate(tenant, programId, customerId, orderId, budgetRewardIds,
                splitRewardIds, budgetRuleIds));
    }

    @Override
    public Customer readWithLots(String tenant, String programId, String customerId) {
        return Outages.guard(() -> reads.readWithLots(tenant, programId, customerId));
    }

    @Override
    public RefundRead readForRefund(String tenant, String programId, String customerId, String orderId) {
        return Outages.guard(() -> reads.readForRefund(tenant, programId, customerId, orderId));
    }

    @Override
    public Optional<Redemption> redemption(String tenant, String programId, String redemptionId) {
        return Outages.guard(() -> reads.redemption(tenant, programId, redemptionId));
    }

    @Override
    public Optional<Commit.Replay> idempotency(String tenant, String programId, String scope, String key) {
        return Outages.guard(() -> reads.idempotency(tenant, programId, scope, key));
    }

    @Override
    public Optional<LedgerPage> ledger(String tenant, String programId, String customerId, int limit, String cursor) {
        return Outages.guard(() -> reads.ledger(tenant, programId, customerId, limit, cursor));
    }

    @Override
    public MemberPage members(String tenant, String programId, int limit, String afterId, Instant now) {
        return Outages.guard(() -> members.members(tenant, programId, limit, afterId, now));
    }

    @Override
    public Optional<String> referralCodeOwner(String tenant, String programId, String code) {
        return Outages.guard(() -> ReferralItems.owner(ddb, table, tenant, programId, code));
    }

    @Override
    public dev.laurel.domain.Referral referral(String tenant, String programId, String customerId) {
        return Outages.guard(() -> reads.readForEarn(tenant, programId, customerId, List.of()).referral());
    }

    @Override
    public Commit giveReferralCode(String tenant, String programId, String customerId, long seq, String code, Instant now) {
        return Outages.guard(() -> ReferralItems.give(ddb, table, tenant, programId, customerId, seq, code, now));
    }

    @Override
    public Commit earn(EarnWrite w) {
        return Outages.guard(() -> EarnTx.run(ddb, table, w));
    }

    @Override // the double opt-in's token item (ConsentItems)
    public Optional<dev.laurel.store.Records.ConsentToken> consentToken(String h) { return Outages.guard(() -> ConsentItems.read(ddb, table, h)); }

    @Override
    public Commit redeem(RedeemWrite w) {
        return Outages.guard(() -> RedeemTx.run(ddb, table, w));
    }

    @Override
    public Commit donate(dev.laurel.store.Records.DonateWrite w) {
        return Outages.guard(() -> DonateTx.run(ddb, table, w));
    }

    @Override
    public Commit rollback(RollbackWrite w) {
        return Outages.guard(() -> RollbackTx.run(ddb, table, w));
    }

    @Override
    public Optional<dev.laurel.store.CodeStore.RewardCode> rewardCode(String tenant, String programId, String code) {
        return Outages.guard(() -> CodeItems.read(ddb, table, tenant, programId, code));
    }

    @Override
    public Commit useCode(dev.laurel.store.CodeStore.UseWrite w) {
        return Outages.guard(() -> CodeItems.use(ddb, table, w));
    }

    @Override
    public Commit refund(RefundWrite w) {
        return Outages.guard(() -> RefundTx.run(ddb, table, w));
    }

    // ---------------------------------------------------------------- scheduled runs

    @Override
    public DuePage due(DueIndex index, int shard, Instant upTo, Cursor from, int limit, Usage usage) {
        return Outages.guard(() -> scheduled.due(index, shard, upTo, from, limit, usage));
    }

    @Override
    public Items read(Collection<ItemKey> keys, Usage usage) {
        return Outages.guard(() -> scheduled.read(keys, usage));
    }

    @Override
    public DueProfile profile(ItemKey k, Usage usage) {
        return Outages.guard(() -> scheduled.profile(k, usage));
    }

    @Override
    public boolean isProfile(ItemKey k) {
        return Keys.PROFILE.equals(k.sk());
    }

    @Override
    public String codeOf(ItemKey k) {
        return ScheduledStore.code(k);
    }

    @Override
    public ItemKey notificationKey(ItemKey customer, String notificationId) {
        return new ItemKey(customer.pk(), Keys.notification(notificationId), customer.tenant(), customer.programId(),
                customer.customerId());
    }

    @Override
    public long customerFailed(DueIndex index, ItemKey k, Instant upTo, Instant now, String error) {
        return Outages.guard(() -> failures.customer(index, k, upTo, now, error));
    }

    @Override
    public void notificationUnreadable(ItemKey k, Instant now, String error) {
        Outages.guard(() -> failures.notification(k, now, error));
    }

    @Override
    public boolean isOutage(Throwable e) {
        return RunFailures.outage(e);
    }

    @Override
    public Commit expire(ExpireWrite w) {
        return Outages.guard(() -> ExpireTx.run(ddb, table, w));
    }

    @Override
    public Commit remind(RemindWrite w) {
        return Outages.guard(() -> RemindTx.run(ddb, table, w));
    }

    @Override
    public boolean claim(StoredNotification n, Instant now, Instant leaseUntil) {
        return Outages.guard(() -> scheduled.claim(n, now, leaseUntil));
    }

    @Override
    public void sent(StoredNotification n, Instant now) {
        Outages.guard(() -> scheduled.sent(n, now));
    }

    @Override
    public void skipped(StoredNotification n, Instant now, String reason) {
        Outages.guard(() -> scheduled.skipped(n, now, reason));
    }

    @Override
    public void retryLater(StoredNotification n, Instant at, String error) {
        Outages.guard(() -> scheduled.retryLater(n, at, error));
    }

    @Override
    public void dead(StoredNotification n, Instant now, long attempts, String error) {
        Outages.guard(() -> scheduled.dead(n, now, attempts, error));
    }

    @Override
    public List<StoredNotification> notifications(String tenant, String programId, String customerId) {
        return Outages.guard(() -> scheduled.notifications(tenant, programId, customerId));
    }

    @Override
    public List<DeadLetter> deadLetters(String tenant, int limit) {
        return Outages.guard(() -> scheduled.deadLetters(tenant, limit));
    }

    // ---------------------------------------------------------------- reports (the change stream's counters)

    @Override
    public String addToDay(String tenant, String programId, java.time.LocalDate day, String shard, String firstSequence,
                           String lastSequence, Map<String, Long> figures, Instant now) {
        return Outages.guard(() -> reports.addToDay(tenant, programId, day, shard, firstSequence, lastSequence, figures, now));
    }

    @Override
    public String addToOutstanding(String tenant, String programId, String shard, String firstSequence, String lastSequence,
                                   long delta, Instant recordAt, Instant forgetBefore, Instant now) {
        return Outages.guard(() -> reports.addToOutstanding(tenant, programId, shard, firstSequence, lastSequence, delta,
                recordAt, forgetBefore, now));
    }

    @Override
    public ReportRead readReport(String tenant, String programId, java.time.LocalDate from, java.time.LocalDate to) {
        return Outages.guard(() -> reports.read(tenant, programId, from, to));
    }

    @Override public dev.laurel.store.ImportStore imports() { return new ImportItems(ddb, table); }

    // ---------------------------------------------------------------- outbound webhooks
    @Override public WebhookStore webhooks() { return webhookStore; }
}
