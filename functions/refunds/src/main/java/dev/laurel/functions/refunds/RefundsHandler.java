package dev.laurel.functions.refunds;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.http.ApiGateway;
import dev.laurel.service.Loyalty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** POST /v1/programs/{programId}/refunds. */
public final class RefundsHandler implements RequestStreamHandler {
    private final Loyalty loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public RefundsHandler() {
        this(Loyalty.fromEnvironment());
    }

    public RefundsHandler(Loyalty loyalty) {
        this.loyalty = loyalty;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, loyalty::refund);
    }
}
