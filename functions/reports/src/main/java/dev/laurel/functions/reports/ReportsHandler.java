package dev.laurel.functions.reports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.ReportsApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Admin reports: the summary of a date range, fed by the change stream. */
public final class ReportsHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"GetItem", "Query"};

    private final ReportsApi reports;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public ReportsHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public ReportsHandler(Laurel laurel) {
        this.reports = new ReportsApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "GET /v1/programs/{programId}/reports/summary" -> reports.summary(req);
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
