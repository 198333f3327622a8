package dev.laurel.functions.redeem;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.CodesApi;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** POST /v1/programs/{programId}/redeem and .../donations (points spent alike), and the reward codes it makes: look-up, QR code, use at a till. */
public final class RedeemHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"};

    private final LoyaltyApi loyalty;
    private final CodesApi codes;

    /** Lambda's entry: DynamoDB and configuration from the environment. */
    public RedeemHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public RedeemHandler(Laurel laurel) {
        this.loyalty = new LoyaltyApi(laurel);
        this.codes = new CodesApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "POST /v1/programs/{programId}/redeem" -> loyalty.redeem(req);
            case "POST /v1/programs/{programId}/donations" -> loyalty.donate(req);
            case "GET /v1/programs/{programId}/codes/{code}" -> codes.get(req);
            case "GET /v1/programs/{programId}/codes/{code}/qr.svg" -> codes.qr(req);
            case "POST /v1/programs/{programId}/codes/{code}/use" -> codes.use(req);
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
