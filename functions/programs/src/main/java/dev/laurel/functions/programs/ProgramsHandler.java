package dev.laurel.functions.programs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Admin routes of programs: create or replace, read, and the kill switch. */
public final class ProgramsHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"GetItem", "PutItem", "UpdateItem"};

    private final LoyaltyApi loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public ProgramsHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public ProgramsHandler(Laurel laurel) {
        this.loyalty = new LoyaltyApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "PUT /v1/programs/{programId}" -> loyalty.putProgram(req);
            case "GET /v1/programs/{programId}" -> loyalty.getProgram(req);
            case "PATCH /v1/programs/{programId}/earningRules/{ruleId}" -> loyalty.setStatus(req, "earningRules", "ruleId");
            case "PATCH /v1/programs/{programId}/rewards/{rewardId}" -> loyalty.setStatus(req, "rewards", "rewardId");
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
