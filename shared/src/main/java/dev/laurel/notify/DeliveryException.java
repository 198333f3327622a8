package dev.laurel.notify;

/**
 * Why a send failed. {@link #retryable()} is true when trying again later may succeed (HTTP 5xx, 408, 429,
 * timeouts, refused connections, SES throttling or 5xx) and false when it never will (other 4xx, a customer
 * without an email address, a message SES rejected).
 */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public DeliveryException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
