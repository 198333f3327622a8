package dev.laurel.store.dynamodb;

import dev.laurel.store.Meter;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
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
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The store's client: every call the store makes goes through it to the real one. While a
 * {@link Meter} is bound to the calling thread (a request, a scheduled or stream batch being
 * served), each request asks DynamoDB for {@code ReturnConsumedCapacity TOTAL} (unless it already
 * asks) and the round trip and its capacity are counted on that meter: units of a read operation
 * as read units, of a write (transactions and condition checks included) as write units. A call
 * that fails counts as a round trip with no capacity. Without a meter, requests go unchanged.
 */
final class MeteredClient implements DynamoDbClient {
    private final DynamoDbClient ddb;

    MeteredClient(DynamoDbClient ddb) {
        this.ddb = ddb;
    }

    private static <Q, R> R metered(Q request, boolean asks, Function<Q, Q> asking, Function<Q, R> call,
                                    Function<R, List<ConsumedCapacity>> consumed, boolean write) {
        if (Meter.current() == null) {
            return call.apply(request);
        }
        R response;
        try {
            response = call.apply(asks ? request : asking.apply(request));
        } catch (RuntimeException e) {
            Meter.roundTrip(0, 0);
            throw e;
        }
        double units = 0;
        List<ConsumedCapacity> cs = consumed.apply(response);
        if (cs != null) {
            for (ConsumedCapacity c : cs) {
                units += c != null && c.capacityUnits() != null ? c.capacityUnits() : 0;
            }
        }
        Meter.roundTrip(write ? 0 : units, write ? units : 0);
        return response;
    }

    private static List<ConsumedCapacity> one(ConsumedCapacity c) {
        return c == null ? null : List.of(c);
    }

    private static boolean asks(ReturnConsumedCapacity r) {
        return r == ReturnConsumedCapacity.TOTAL || r == ReturnConsumedCapacity.INDEXES;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::getItem, x -> one(x.consumedCapacity()), false);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::query, x -> one(x.consumedCapacity()), false);
    }

    @Override
    public ScanResponse scan(ScanRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::scan, x -> one(x.consumedCapacity()), false);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::batchGetItem, BatchGetItemResponse::consumedCapacity, false);
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::transactGetItems, TransactGetItemsResponse::consumedCapacity, false);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::putItem, x -> one(x.consumedCapacity()), true);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::updateItem, x -> one(x.consumedCapacity()), true);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::deleteItem, x -> one(x.consumedCapacity()), true);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::batchWriteItem, BatchWriteItemResponse::consumedCapacity, true);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest r) {
        return metered(r, asks(r.returnConsumedCapacity()), q -> q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                ddb::transactWriteItems, TransactWriteItemsResponse::consumedCapacity, true);
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return ddb.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return ddb.serviceName();
    }

    @Override
    public void close() {
        ddb.close();
    }
}
