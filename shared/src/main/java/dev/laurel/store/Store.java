package dev.laurel.store;

/**
 * The ports the use cases ({@code dev.laurel.app}) talk to; {@code dev.laurel.store.dynamodb} is
 * their one implementation. Reads are one round trip; every state change is one atomic write
 * whose outcome is a {@link Commit}. No SDK type crosses these interfaces.
 */
public interface Store extends ProgramStore, ApiKeyStore, CustomerStore, MemberStore, RunStore, ReportStore, CodeStore {
    /** The imports' items (issue 11). */
    ImportStore imports();

    /** The outbound webhooks and their deliveries (issue 10). */
    WebhookStore webhooks();
}
