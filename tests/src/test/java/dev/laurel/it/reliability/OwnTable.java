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

    /**
     * {@code @ExtendWith(OwnTable.WithoutStream.class)}: a fresh table without a change stream
     * ({@link LocalDynamo#freshTable()}), for classes that write many thousands of items and read no
     * stream. DynamoDB Local keeps every table's stream records in one SQLite store and looks a stream
     * up on every write, so a class that filled the reliability table's stream made each later write
     * on any streamed table slower (BankWorkloadTest took 288 s after HotBudgetLimitChangeTest, 22 s
     * alone).
     */
    static final class WithoutStream implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            Gateway.use(LocalDynamo.freshTable());
        }

        @Override
        public void afterAll(ExtensionContext context) {
            Gateway.use(null);
        }
    }
}
