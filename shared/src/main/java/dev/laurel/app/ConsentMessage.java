package dev.laurel.app;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.notify.Channel;
import dev.laurel.notify.Delivery;
import dev.laurel.notify.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends the {@code consent_confirmation} message of a double opt-in through the program's channel,
 * in the member's language: the one message that goes out without marketing consent. It is sent by
 * the upsert that issued the token, after its write committed, once (the token exists only in that
 * request's memory; the table holds its hash). A failed send is logged; the member stays
 * {@code pending} and the shop may ask again ({@code marketing: true}) after
 * {@link dev.laurel.domain.Consent#RESEND_AFTER}.
 */
final class ConsentMessage {
    static final String TYPE = "consent_confirmation";
    static final int TRIES = 2;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private ConsentMessage() {
    }

    /** True when the channel took the message. */
    static boolean send(Channels channels, String tenant, Program program, Customer member, String token, Instant expiresAt,
                        Instant now) {
        Channel channel = channels.of(program);
        if (channel == null) {
            System.err.println("ERROR consent_confirmation of customer " + member.customerId() + " (tenant " + tenant
                    + ", program " + program.programId() + "): the program has no channel here");
            return false;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("token", token);
        payload.put("expiresAt", expiresAt.toString());
        // the id names the token's hash, never the token: receivers dedupe on it
        String id = TYPE + ":" + ConsentTokens.hash(token).substring(0, 16);
        Notification n = Notification.of(id, TYPE, program.programId(), program.name(), member.customerId(), member.email(),
                now, Json.write(payload), member.locale());
        Delivery.Outcome out = Delivery.deliver(channel, n, TRIES, FIRST_BACKOFF, Delivery.Sleeper.REAL);
        if (!out.delivered()) {
            System.err.println("ERROR consent_confirmation of customer " + member.customerId() + " (tenant " + tenant
                    + ", program " + program.programId() + ") not delivered: " + out.lastError());
        }
        return out.delivered();
    }
}
