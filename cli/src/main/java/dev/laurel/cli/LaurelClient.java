package dev.laurel.cli;

import dev.laurel.client.Laurel;
import dev.laurel.client.LaurelException;
import dev.laurel.client.Retry;
import dev.laurel.client.api.CustomersApi;
import dev.laurel.client.api.ImportsApi;
import dev.laurel.client.invoker.ApiClient;
import java.net.URI;

/**
 * Laurel's HTTP API from the command line, through the Java SDK generated from api/openapi.yaml (clients/java): the
 * generated {@link CustomersApi} and {@link ImportsApi} with the key, every call through the SDK's {@link Retry}. A
 * network error, a timeout, 429 or a 5xx is tried again with jittered exponential backoff (honouring
 * {@code Retry-After}), up to {@link #MAX_ATTEMPTS} attempts in all; then {@link Main#UNREACHABLE}. Any other error
 * is Laurel's refusal, reported with its code and message ({@link Main#REFUSED}).
 */
final class LaurelClient {
    static final int MAX_ATTEMPTS = 8;

    /** How the client waits between attempts (tests pass one that does not sleep). */
    interface Sleeper extends Retry.Sleeper {
        Sleeper REAL = Thread::sleep;
    }

    private final URI base;
    private final Retry retry;
    final CustomersApi customers;
    final ImportsApi imports;

    LaurelClient(URI base, String key, Sleeper sleeper, long baseDelayMs) {
        this.base = base;
        this.retry = new Retry(MAX_ATTEMPTS, baseDelayMs, sleeper);
        ApiClient api = Laurel.client(base, key);
        this.customers = new CustomersApi(api);
        this.imports = new ImportsApi(api);
    }

    /** Attempts that were tried again so far (network errors and retried statuses). */
    int retries() {
        return retry.retries();
    }

    /**
     * One generated call with the retries; its answer. The CLI's routes need no Idempotency-Key: a chunk's rows
     * apply at most once per (import, row), an import's PUT with the same body answers the same import, a revert
     * is idempotent.
     */
    <T> T call(Retry.Call<T> call) {
        try {
            return retry.call(call);
        } catch (LaurelException e) {
            throw failure(e);
        }
    }

    private Main.Failure failure(LaurelException e) {
        if (e.unreachable() || e.status() == 0) {
            return new Main.Failure(Main.UNREACHABLE, base + " did not answer after " + MAX_ATTEMPTS + " attempts (last: " + e.describe() + ")");
        }
        return switch (e.status()) {
            case 401 -> new Main.Failure(Main.REFUSED, "the key was refused (" + e.describe() + "): pass --key or set LAUREL_KEY");
            case 403 -> new Main.Failure(Main.REFUSED, "the key may not do this (" + e.describe() + "): this needs an admin key");
            default -> new Main.Failure(Main.REFUSED, "Laurel answered " + e.describe());
        };
    }
}
