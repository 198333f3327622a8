package dev.laurel.store;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Read capacity units consumed by a run's queries and batch reads, as the database reports them. */
public final class Usage {
    private final DoubleAdder read = new DoubleAdder();
    private final LongAdder requests = new LongAdder();

    /** One read request, and the units it consumed (null when not reported). */
    public void add(Double readUnits) {
        requests.increment();
        if (readUnits != null) {
            read.add(readUnits);
        }
    }

    public double readUnits() {
        return read.sum();
    }

    /** Read requests made (queries and batch gets). */
    public long readRequests() {
        return requests.sum();
    }
}
