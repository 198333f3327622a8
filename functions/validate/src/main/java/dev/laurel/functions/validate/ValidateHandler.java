package dev.laurel.functions.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.http.ApiGateway;
import dev.laurel.service.Loyalty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** POST /v1/programs/{programId}/validate (read-only). */
public final class ValidateHandler implements RequestStreamHandler {
    private final Loyalty loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public ValidateHandler() {
        this(Loyalty.fromEnvironment());
    }

    public ValidateHandler(Loyalty loyalty) {
        this.loyalty = loyalty;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, loyalty::validate);
    }
}
