package dev.laurel.functions.refunds;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** POST /v1/programs/{programId}/refunds. */
public final class RefundsHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"};

    private final LoyaltyApi loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public RefundsHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public RefundsHandler(Laurel laurel) {
        this.loyalty = new LoyaltyApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, loyalty::refund);
    }
}
