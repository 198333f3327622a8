package dev.laurel.notify;

/**
 * A delivery channel for reminders: a signed webhook, Amazon SES email, or the local outbox.
 * Implementations are safe to share between threads.
 */
public interface Channel {
    /** {@code "webhook"}, {@code "email"} or {@code "outbox"}. */
    String kind();

    /**
     * Delivers the notification once.
     *
     * @throws DeliveryException when it was not delivered; {@link DeliveryException#retryable()} says whether
     *                           trying again later may succeed
     */
    void send(Notification n) throws DeliveryException;
}
