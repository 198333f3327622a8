package dev.laurel.store.dynamodb;

import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The database unreachable, or throttling past the SDK's retries, from any read or write: mapped
 * once, here, to the refusal {@code unavailable} (503 with {@code Retry-After}), so that no layer
 * above the store needs to know the SDK's exceptions.
 */
final class Outages {
    private Outages() {
    }

    /** Runs a store operation; an outage leaves it as {@link Refused} {@code unavailable}. */
    static <T> T guard(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            if (unavailable(e)) {
                System.err.println("WARN the database is unavailable: " + e);
                throw new Refused(Refusal.unavailable("the database is unavailable (throttling or unreachable)"));
            }
            throw e;
        }
    }

    static void guard(Runnable operation) {
        guard(() -> {
            operation.run();
            return null;
        });
    }

    /**
     * Whether a failure means DynamoDB could not be reached or kept throttling past the SDK's
     * retries: a connection refused or lost, a timeout, a throttling error, a 5xx of the service.
     */
    static boolean unavailable(Throwable e) {
        boolean client = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException s) {
                return s.isThrottlingException() || s.statusCode() >= 500;
            }
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
            client |= t instanceof SdkClientException;
            if (client && (t instanceof IOException || t instanceof UncheckedIOException)) {
                return true;
            }
        }
        return false;
    }
}
