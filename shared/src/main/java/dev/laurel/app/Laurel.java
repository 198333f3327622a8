package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.notify.Delivery;
import dev.laurel.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Laurel's use cases on one store and one clock, sharing one program cache: what a function's
 * handler is given (a Lambda container builds one from its environment, tests and the local
 * runner one on DynamoDB Local and their clock).
 */
public final class Laurel {
    private final Store store;
    private final Clock clock;
    private final ProgramCache programCache;
    private final Earn earn;
    private final Validate validate;
    private final Redeem redeem;
    private final Donate donate;
    private final Rollback rollback;
    private final Refund refund;
    private final Upsert upsert;
    private final Wallet wallet;
    private final Ledger ledger;
    private final Programs programs;
    private final ApiKeys apiKeys;
    private final Replays replays;
    private final StreamIngest streamIngest;
    private final Reports reports;
    private final UseCode useCode;
    private final Duration programRecheck;
    private final Webhooks webhooks;
    private final Members members;
    private final Imports imports;
    private final ImportRows importRows;
    private final ImportRevert importRevert;
    private final ConsentConfirm consentConfirm;
    /** Where double opt-in confirmations go; none until the function or runner says ({@link #sendConsentThrough}). */
    private volatile Channels consentChannels = program -> null;
    /** The deployment's budget split threshold ({@link #splittingBudgetsAt}); the default until it says. */
    private volatile long budgetSplitThreshold = dev.laurel.domain.Budgets.DEFAULT_SPLIT_THRESHOLD;

    /** @param programRecheck how old a cached program may get before its version is checked again */
    public Laurel(Store store, Clock clock, Duration programRecheck) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.programCache = new ProgramCache(store, programRecheck);
        this.earn = new Earn(store, clock);
        this.validate = new Validate(store, clock, () -> budgetSplitThreshold);
        this.redeem = new Redeem(store, clock, () -> budgetSplitThreshold);
        this.donate = new Donate(store, clock);
        this.rollback = new Rollback(store, clock);
        this.refund = new Refund(store, clock);
        this.upsert = new Upsert(store, clock, () -> consentChannels);
        this.wallet = new Wallet(store, clock);
        this.ledger = new Ledger(store);
        this.programs = new Programs(store, programCache, clock);
        this.apiKeys = new ApiKeys(store, clock, Duration.ZERO);
        this.replays = new Replays(store);
        this.streamIngest = new StreamIngest(store, clock, this::program);
        this.reports = new Reports(store, clock);
        this.useCode = new UseCode(store, store, clock);
        this.programRecheck = programRecheck;
        this.webhooks = new Webhooks(store.webhooks(), clock);
        this.members = new Members(store, clock);
        this.imports = new Imports(store.imports(), clock);
        this.importRows = new ImportRows(store, store.imports(), clock);
        this.importRevert = new ImportRevert(store, store.imports(), clock);
        this.consentConfirm = new ConsentConfirm(store, this::program, clock);
    }

    /** Double opt-in confirmations ({@code consent_confirmation}) are sent through {@code channels} from now on. */
    public Laurel sendConsentThrough(Channels channels) {
        this.consentChannels = Objects.requireNonNull(channels, "channels");
        return this;
    }

    /**
     * A reward budget of {@code threshold} redemptions or more is split into sub-counters from now on
     * ({@link dev.laurel.domain.Budgets#subCounters}; the template's {@code BudgetSplitThreshold}).
     */
    public Laurel splittingBudgetsAt(long threshold) {
        this.budgetSplitThreshold = dev.laurel.domain.Budgets.checkSplitThreshold(threshold);
        return this;
    }

    /** {@code POST /v1/consent/confirm}. */
    public ConsentConfirm consentConfirm() {
        return consentConfirm;
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** The program, from the cache; empty when the tenant has no such program. */
    public Optional<Program> program(String tenant, String programId) {
        return programCache.get(tenant, programId);
    }

    /** The report counters from the change stream. */
    public StreamIngest streamIngest() {
        return streamIngest;
    }

    public Reports reports() {
        return reports;
    }

    /** A reward code used at a till. */
    public UseCode useCode() {
        return useCode;
    }

    /** The member listing (and the export built on it). */
    public Members members() {
        return members;
    }

    public Imports imports() {
        return imports;
    }

    public ImportRevert importRevert() {
        return importRevert;
    }

    public ImportRows importRows() {
        return importRows;
    }

    public Earn earn() {
        return earn;
    }

    public Validate validate() {
        return validate;
    }

    public Redeem redeem() {
        return redeem;
    }

    /** Points given to a charity (API.md Donations). */
    public Donate donate() {
        return donate;
    }

    public Rollback rollback() {
        return rollback;
    }

    public Refund refund() {
        return refund;
    }

    public Upsert upsert() {
        return upsert;
    }

    public Wallet wallet() {
        return wallet;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Empties this container's caches (programs; API keys keep none here): a SnapStart copy after its restore. */
    public void forgetCaches() {
        programCache.forgetAll();
    }

    public Programs programs() {
        return programs;
    }

    public Replays replays() {
        return replays;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The daily expiry run. */
    public ExpiryRun expiryRun() {
        return new ExpiryRun(store, programCache, clock, new ExpireCode(store, store));
    }

    /** The hourly reminders run, sending through {@code channels}, sleeping for real between tries. */
    public ReminderRun reminderRun(Channels channels) {
        return reminderRun(channels, Delivery.Sleeper.REAL);
    }

    /** The hourly reminders run, sending through {@code channels}. */
    public ReminderRun reminderRun(Channels channels, Delivery.Sleeper sleeper) {
        return new ReminderRun(store, programCache, clock, channels, sleeper);
    }

    /** Outbound webhooks (admin routes). */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** The webhooks' consumer of the change stream, calling webhooks through {@code targets}. */
    public WebhookFanout webhookFanout(dev.laurel.notify.WebhookTargets targets) {
        return new WebhookFanout(store.webhooks(), targets, clock, programRecheck);
    }

    /** The scheduled retries of webhook deliveries. */
    public DeliveryRun deliveryRun(dev.laurel.notify.WebhookTargets targets) {
        return new DeliveryRun(store.webhooks(), targets, clock);
    }
}
