package dev.laurel.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An SDK interceptor that counts DynamoDB calls (and HTTP attempts) by operation, asks every
 * request for {@code ReturnConsumedCapacity=TOTAL} and adds up the capacity the responses report.
 * It changes nothing else, so the store under test is measured as it is. Thread-safe; optionally
 * keeps the requests it saw (for the capacity cross-check).
 */
public final class Meter implements ExecutionInterceptor {
    private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder attempts = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final DoubleAdder rcu = new DoubleAdder();
    private final DoubleAdder wcu = new DoubleAdder();
    private final LongAdder capacityReports = new LongAdder();
    private final LongAdder capacityMissing = new LongAdder();
    private final LongAdder sdkNanos = new LongAdder();
    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<Long> STARTED =
            new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("bench.started");
    private volatile List<SdkRequest> captured;

    /** Starts (or stops, with false) keeping the write requests seen. */
    public synchronized void capture(boolean on) {
        captured = on ? java.util.Collections.synchronizedList(new ArrayList<>()) : null;
    }

    public List<SdkRequest> captured() {
        List<SdkRequest> c = captured;
        return c == null ? List.of() : new ArrayList<>(c);
    }

    public void reset() {
        calls.clear();
        failures.clear();
        attempts.reset();
        rcu.reset();
        wcu.reset();
        capacityReports.reset();
        capacityMissing.reset();
        sdkNanos.reset();
    }

    /** The counters so far. */
    public Snapshot snapshot() {
        Map<String, Long> c = new TreeMap<>();
        calls.forEach((k, v) -> c.put(k, v.sum()));
        Map<String, Long> f = new TreeMap<>();
        failures.forEach((k, v) -> f.put(k, v.sum()));
        return new Snapshot(c, f, attempts.sum(), rcu.sum(), wcu.sum(), capacityReports.sum(), capacityMissing.sum(),
                sdkNanos.sum());
    }

    /** {@code sdkNanos}: time spent inside SDK calls (marshalling, HTTP, DynamoDB Local, unmarshalling). */
    public record Snapshot(Map<String, Long> calls, Map<String, Long> failures, long attempts, double rcu, double wcu,
                           long capacityReports, long capacityMissing, long sdkNanos) {
        public long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        public long calls(String op) {
            return calls.getOrDefault(op, 0L);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        executionAttributes.putAttribute(STARTED, System.nanoTime());
    }

    private void stopClock(ExecutionAttributes a) {
        Long start = a.getAttribute(STARTED);
        if (start != null) {
            sdkNanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
        SdkRequest r = context.request();
        List<SdkRequest> c = captured;
        if (c != null) {
            c.add(r);
        }
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchGetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactGetItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        attempts.increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes executionAttributes) {
        stopClock(executionAttributes);
        calls.computeIfAbsent(op(executionAttributes), k -> new LongAdder()).increment();
        SdkResponse r = context.response();
        List<ConsumedCapacity> cc = new ArrayList<>();
        if (r instanceof GetItemResponse g && g.consumedCapacity() != null) {
            cc.add(g.consumedCapacity());
        } else if (r instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) {
            cc.addAll(b.consumedCapacity());
        } else if (r instanceof QueryResponse q && q.consumedCapacity() != null) {
            cc.add(q.consumedCapacity());
        } else if (r instanceof TransactWriteItemsResponse t && t.hasConsumedCapacity()) {
            cc.addAll(t.consumedCapacity());
        } else if (r instanceof TransactGetItemsResponse t && t.hasConsumedCapacity()) {
            cc.addAll(t.consumedCapacity());
        } else if (r instanceof PutItemResponse p && p.consumedCapacity() != null) {
            cc.add(p.consumedCapacity());
        } else if (r instanceof UpdateItemResponse u && u.consumedCapacity() != null) {
            cc.add(u.consumedCapacity());
        } else if (r instanceof DeleteItemResponse d && d.consumedCapacity() != null) {
            cc.add(d.consumedCapacity());
        } else if (r instanceof BatchWriteItemResponse b && b.hasConsumedCapacity()) {
            cc.addAll(b.consumedCapacity());
        }
        if (cc.isEmpty()) {
            capacityMissing.increment();
        }
        for (ConsumedCapacity c : cc) {
            capacityReports.increment();
            double read = c.readCapacityUnits() == null ? 0 : c.readCapacityUnits();
            double write = c.writeCapacityUnits() == null ? 0 : c.writeCapacityUnits();
            if (read == 0 && write == 0 && c.capacityUnits() != null) {
                // only the total is given: attribute it by the kind of call
                if (r instanceof GetItemResponse || r instanceof BatchGetItemResponse || r instanceof QueryResponse
                        || r instanceof TransactGetItemsResponse) {
                    read = c.capacityUnits();
                } else {
                    write = c.capacityUnits();
                }
            }
            rcu.add(read);
            wcu.add(write);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        stopClock(executionAttributes);
        String op = op(executionAttributes);
        calls.computeIfAbsent(op, k -> new LongAdder()).increment();
        Throwable e = context.exception();
        String kind = e.getClass().getSimpleName();
        if (e instanceof TransactionCanceledException t && t.hasCancellationReasons()) {
            boolean conflict = t.cancellationReasons().stream().anyMatch(x -> "TransactionConflict".equals(x.code()));
            kind = conflict ? "TransactionConflict" : "ConditionalCheckFailed";
        }
        failures.computeIfAbsent(op + ":" + kind, k -> new LongAdder()).increment();
    }

    private static String op(ExecutionAttributes a) {
        String name = a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "?" : name;
    }
}
