package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.local.LocalClock;
import dev.laurel.notify.Outbox;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code tier_downgrade_warning} payload example in api/openapi.yaml
 * ({@code ReminderPayloadTierDowngradeWarning}) is what a real run sends: the earn route, the
 * expiry and reminders functions on DynamoDB Local, the clock moved to December 2027; the payload
 * the outbox received must equal the documented example.
 */
class DowngradeWarningExampleTest {
    @Test
    void theDocumentedPayloadIsTheOneARealRunSends() throws Exception {
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        Jobs jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", """
                {"name": "Tiers", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500}, {"id": "gold", "threshold": 2000}],
                 "reminders": {"tierDowngradeWarning": true},
                 "tierPolicy": {"window": "calendar_year", "downgrade": "end_of_window"}}""");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(api.shop("PUT", "/v1/programs/p/customers/c-1", "{\"email\": \"c1@example.com\", \"consent\": {\"marketing\": true}}")
                .status()).isLessThan(300);
        assertThat(api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-1", "o-1", 250000, api.clock.instant().toString()))
                .status()).isEqualTo(200);
        api.clock.set(Instant.parse("2026-12-31T23:00:00Z")); // 2026's points keep gold for 2027
        jobs.expiry();
        jobs.reminders();
        api.clock.set(Instant.parse("2027-12-20T10:00:00Z")); // nothing earned in 2027, the year ends in 11 days
        jobs.reminders();
        List<Outbox.Sent> sent = jobs.outbox.all().stream()
                .filter(s -> s.notification().type().equals("tier_downgrade_warning")).toList();
        assertThat(sent).hasSize(1);
        JsonNode payload = sent.get(0).notification().payload();

        String doc = Files.readString(LocalDynamo.root().resolve("api").resolve("openapi.yaml"));
        int at = doc.indexOf("    ReminderPayloadTierDowngradeWarning:");
        assertThat(at).isPositive();
        Matcher m = Pattern.compile("From a real run \\(\\w+\\):\\s*`(\\{[^`]*})`").matcher(doc.substring(at, at + 1200));
        assertThat(m.find()).as("the example in ReminderPayloadTierDowngradeWarning").isTrue();
        assertThat(payload).as("the run's payload " + payload).isEqualTo(new ObjectMapper().readTree(m.group(1)));
    }
}
