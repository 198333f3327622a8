package dev.laurel.functions.customers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.ConsentApi;
import dev.laurel.api.ImportsApi;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.MembersApi;
import dev.laurel.api.SessionsApi;
import dev.laurel.api.Wiring;
import dev.laurel.app.Channels;
import dev.laurel.app.Laurel;
import dev.laurel.app.SessionKeys;
import dev.laurel.app.Sessions;
import dev.laurel.aws.SecretsManagerKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Customer routes: profile upsert, wallet and ledger, a member's own session; the member listing and imports (admin). */
public final class CustomersHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "ConditionCheckItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"};

    private final LoyaltyApi loyalty;
    private final MembersApi members;
    private final SessionsApi sessions;
    private final ImportsApi imports;
    private final ConsentApi consent;

    /** Lambda's entry: DynamoDB and configuration from the environment, session keys from Secrets Manager. */
    public CustomersHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), SecretsManagerKeys.fromEnvironment(),
                dev.laurel.aws.Channels.real(Boolean.parseBoolean(System.getenv("LAUREL_WEBHOOKS_ALLOW_PRIVATE"))));
    }

    /** Double opt-in confirmations go through {@code channels} (the reminders' channels of each program). */
    public CustomersHandler(Laurel laurel, SessionKeys sessionKeys, Channels channels) {
        this(laurel.sendConsentThrough(channels), sessionKeys);
    }

    public CustomersHandler(Laurel laurel, SessionKeys sessionKeys) {
        this.loyalty = new LoyaltyApi(laurel);
        this.members = new MembersApi(laurel);
        this.sessions = new SessionsApi(laurel, new Sessions(sessionKeys, laurel.clock()));
        this.imports = new ImportsApi(laurel);
        this.consent = new ConsentApi(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "GET /v1/programs/{programId}/customers" -> members.list(req);
            case "PUT /v1/programs/{programId}/customers/{customerId}" -> loyalty.upsertCustomer(req);
            case "GET /v1/programs/{programId}/customers/{customerId}" -> loyalty.wallet(req);
            case "GET /v1/programs/{programId}/customers/{customerId}/ledger" -> loyalty.ledger(req);
            case "POST /v1/programs/{programId}/customers/{customerId}/sessions" -> sessions.create(req);
            case "PUT /v1/programs/{programId}/imports/{importId}" -> imports.put(req);
            case "GET /v1/programs/{programId}/imports/{importId}" -> imports.get(req);
            case "POST /v1/programs/{programId}/imports/{importId}/rows" -> imports.rows(req);
            case "POST /v1/programs/{programId}/imports/{importId}/revert" -> imports.revert(req);
            case ConsentApi.CONFIRM -> consent.confirm(req);
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
