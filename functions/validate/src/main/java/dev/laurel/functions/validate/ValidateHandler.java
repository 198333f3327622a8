package dev.laurel.functions.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** POST /v1/programs/{programId}/validate (read-only). */
public final class ValidateHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "GetItem", "Query"};

    private final LoyaltyApi loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public ValidateHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public ValidateHandler(Laurel laurel) {
        this.loyalty = new LoyaltyApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, loyalty::validate);
    }
}
