package dev.laurel.it.reliability;

import dev.laurel.it.LocalDynamo;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(OwnTable.class)}: the class's Gateways and {@link Audit} use a fresh table of
 * their own ({@link LocalDynamo#freshTableWithStream()}), and the suite's {@link Gateway#TABLE}
 * again after the class. For classes whose audits scan the table they check: a scan of the shared
 * reliability table costs what every other class stored (83 s in one full run). Test classes run
 * one at a time (no parallel execution is configured).
 */
final class OwnTable implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Gateway.use(LocalDynamo.freshTableWithStream());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Gateway.use(null);
    }
}
