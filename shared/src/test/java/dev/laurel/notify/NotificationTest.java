package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationTest {
    private static final Instant AT = Instant.parse("2027-01-28T09:00:00Z");

    @Test
    void requiredFields() {
        ObjectNode p = Samples.object();
        assertThatThrownBy(() -> new Notification(null, "welcome", "acme", "A", "c-1", null, AT, p))
                .isInstanceOf(NullPointerException.class).hasMessage("id");
        assertThatThrownBy(() -> new Notification("i", null, "acme", "A", "c-1", null, AT, p)).hasMessage("type");
        assertThatThrownBy(() -> new Notification("i", "welcome", null, "A", "c-1", null, AT, p)).hasMessage("programId");
        assertThatThrownBy(() -> new Notification("i", "welcome", "acme", "A", null, null, AT, p)).hasMessage("customerId");
        assertThatThrownBy(() -> new Notification("i", "welcome", "acme", "A", "c-1", null, null, p)).hasMessage("createdAt");
        assertThatThrownBy(() -> new Notification("i", "welcome", "acme", "A", "c-1", null, AT, null)).hasMessage("payload");
        // programName and email may be absent
        assertThat(new Notification("i", "welcome", "acme", null, "c-1", null, AT, p).programName()).isNull();
    }

    @Test
    void keepsItsOwnCopyOfThePayload() {
        ObjectNode p = Samples.object().put("points", 40);
        Notification n = new Notification("i", "points_expiring", "acme", "A", "c-1", null, AT, p);
        p.put("points", 4000);
        assertThat(n.payload().path("points").asLong()).isEqualTo(40);
        assertThat(n).isEqualTo(new Notification("i", "points_expiring", "acme", "A", "c-1", null, AT,
                Samples.object().put("points", 40)));
    }

    @Test
    void theEnvelopeHasExactlyItsEightFields() {
        Notification n = Samples.pointsExpiring("ada@example.com");
        ObjectNode e = Envelope.of(n);
        assertThat(List.copyOf(iterable(e))).containsExactly("id", "type", "programId", "customerId", "createdAt", "data", "locale",
                "message");
        assertThat(e.path("locale").asText()).isEqualTo("en");
        assertThat(e.path("message").path("subject").asText()).isEqualTo("40 points expire on 31 January 2027");
        assertThat(Envelope.of(n.withLocale("de")).path("message").path("subject").asText())
                .isEqualTo("40 Punkte verfallen am 31. Januar 2027");
        assertThat(Envelope.of(n.withLocale("de")).path("data")).as("the figures are the same in every language").isEqualTo(n.payload());
        assertThat(e.path("id").asText()).isEqualTo("points_expiring:2027-01-31");
        assertThat(e.path("type").asText()).isEqualTo("points_expiring");
        assertThat(e.path("programId").asText()).isEqualTo("acme");
        assertThat(e.path("customerId").asText()).isEqualTo("c-1");
        assertThat(e.path("createdAt").asText()).isEqualTo("2027-01-28T09:00:00Z");
        assertThat(e.path("data")).isEqualTo(n.payload());
        assertThat(e.path("data").path("points").isIntegralNumber()).isTrue();
        ((ObjectNode) e.path("data")).put("points", 1);
        assertThat(n.payload().path("points").asLong()).as("the envelope is a copy").isEqualTo(40);
    }

    private static List<String> iterable(ObjectNode o) {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
