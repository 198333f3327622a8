package dev.laurel.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Notifications of each type, as the reminders function builds them. */
final class Samples {
    static final Instant CREATED = Instant.parse("2027-01-28T09:00:00Z");

    private Samples() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static Notification pointsExpiring(String email) {
        ObjectNode p = object().put("points", 40).put("expiresAt", "2027-01-31T23:00:00Z").put("expiresOn", "2027-01-31")
                .put("timezone", "Europe/Berlin");
        return new Notification("points_expiring:2027-01-31", "points_expiring", "acme", "Acme Rewards", "c-1", email,
                CREATED, p);
    }

    static Notification welcome() {
        return new Notification("welcome:c-1", "welcome", "acme", "Acme Café", "c-1", "ada@example.com", CREATED,
                object().put("signupPoints", 25));
    }

    static Notification rewardAvailable() {
        return new Notification("reward_available:ten-off", "reward_available", "acme", "Acme Rewards", "c-1",
                "ada@example.com", CREATED, object().put("rewardId", "ten-off").put("cost", 100).put("available", 120));
    }

    static Notification tierUpgraded() {
        return new Notification("tier_upgraded:gold", "tier_upgraded", "acme", "Acme Rewards", "c-1",
                "ada@example.com", CREATED, object().put("tierId", "gold").put("previousTierId", "silver"));
    }
}
