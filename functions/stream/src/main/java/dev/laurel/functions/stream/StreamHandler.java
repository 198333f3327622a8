package dev.laurel.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.StreamEvents;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import dev.laurel.app.StreamIngest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The table's change stream (a DynamoDB event source mapping): adds each batch to the report counters. */
public final class StreamHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"GetItem", "UpdateItem"};

    private final StreamIngest ingest;

    /** Lambda's entry: DynamoDB from the environment. */
    public StreamHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public StreamHandler(Laurel laurel) {
        this.ingest = laurel.streamIngest();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        StreamEvents.serve(in, out, ingest, context == null ? null : context.getAwsRequestId());
    }
}
