package dev.laurel.app;

import dev.laurel.domain.Consent;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Program;
import dev.laurel.store.Records;
import java.time.Instant;

/**
 * What an upsert does to a member's double opt-in (program field {@code consent.doubleOptIn}):
 * {@code marketing: true} from a member without consent issues a confirmation token and leaves the
 * consent {@code pending} (the stored marketing consent stays false until confirmed); again while
 * pending, a new token (replacing the old one, which stops working) only {@link Consent#RESEND_AFTER}
 * after the last, else nothing (a retried upsert never sends twice); {@code marketing: false}
 * withdraws consent and the pending token. Without double opt-in the fields pass unchanged.
 *
 * @param token the new token to send after the write commits, or null
 */
record DoubleOptIn(Records.ProfileFields fields, String token, Records.ConsentWrite write, Consent consentAfter) {

    static DoubleOptIn decide(Program program, Customer before, Records.ProfileFields f, Instant now) {
        Boolean marketing = f.marketingConsent();
        Consent c = before.consent();
        if (!program.doubleOptIn() || marketing == null) {
            return new DoubleOptIn(f, null, null, c);
        }
        if (!marketing) {
            return new DoubleOptIn(f, null, c.pending() ? Records.ConsentWrite.CLEAR : null,
                    new Consent(null, null, c.confirmedAt()));
        }
        if (before.marketingConsent()) {
            return new DoubleOptIn(f, null, null, c); // confirmed already
        }
        Records.ProfileFields unconfirmed = new Records.ProfileFields(f.email(), f.attributes(), null, f.locale(),
                f.referralCode());
        if (!c.mayResend(now)) {
            return new DoubleOptIn(unconfirmed, null, null, c);
        }
        String token = ConsentTokens.newToken();
        String hash = ConsentTokens.hash(token);
        return new DoubleOptIn(unconfirmed, token, Records.ConsentWrite.issue(hash, now.plus(Consent.TOKEN_VALIDITY)),
                new Consent(hash, now, c.confirmedAt()));
    }

    /** The customer after the upsert's fields, with the double opt-in state this decision leaves. */
    Customer applied(Customer c) {
        return c.withConsent(c.marketingConsent(), consentAfter);
    }
}
