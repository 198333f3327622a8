package dev.laurel.functions.programs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.http.ApiGateway;
import dev.laurel.service.Loyalty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Admin routes of programs: create or replace, read, and the kill switch. */
public final class ProgramsHandler implements RequestStreamHandler {
    private final Loyalty loyalty;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public ProgramsHandler() {
        this(Loyalty.fromEnvironment());
    }

    public ProgramsHandler(Loyalty loyalty) {
        this.loyalty = loyalty;
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
