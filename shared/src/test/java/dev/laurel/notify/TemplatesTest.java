package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    private static Notification of(String type, String programName, ObjectNode payload) {
        return new Notification(type + ":x", type, "acme", programName, "c-1", "ada@example.com", Samples.CREATED,
                payload);
    }

    @Test
    void pointsExpiring() {
        Templates.Email e = Templates.render(Samples.pointsExpiring("ada@example.com"));
        assertThat(e.subject()).isEqualTo("40 points expire on 31 January 2027");
        assertThat(e.text()).contains("40 points in Acme Rewards expire on 31 January 2027.");
        assertThat(e.html()).contains("<p>40 points in Acme Rewards expire on 31 January 2027.</p>")
                .contains("<title>40 points expire on 31 January 2027</title>");
    }

    @Test
    void theExpiryDayIsTheLastValidDayInTheProgramsZone() {
        // a lot that ends at midnight starting 1 February in Los Angeles (08:00 UTC) is usable through 31 January
        ObjectNode la = Samples.object().put("points", 1200).put("expiresAt", "2027-02-01T08:00:00Z")
                .put("timezone", "America/Los_Angeles");
        assertThat(Templates.render(of("points_expiring", "Acme", la)).subject())
                .isEqualTo("1,200 points expire on 31 January 2027");
        // without a zone the instant is read in UTC: the same lot then ends on 1 February
        ObjectNode utc = Samples.object().put("points", 1).put("expiresAt", "2027-02-01T08:00:00Z");
        assertThat(Templates.render(of("points_expiring", "Acme", utc)).subject())
                .isEqualTo("1 point expires on 1 February 2027");
        // midnight UTC exactly is the end of the previous day
        ObjectNode midnight = Samples.object().put("points", 5).put("expiresAt", "2027-03-01T00:00:00Z");
        assertThat(Templates.render(of("points_expiring", "Acme", midnight)).subject())
                .isEqualTo("5 points expire on 28 February 2027");
        // expiresOn (the wallet's "on") wins over expiresAt
        ObjectNode on = Samples.object().put("points", 5).put("expiresOn", "2027-12-24")
                .put("expiresAt", "2027-03-01T00:00:00Z");
        assertThat(Templates.render(of("points_expiring", "Acme", on)).subject())
                .isEqualTo("5 points expire on 24 December 2027");
    }

    @Test
    void welcome() {
        Templates.Email e = Templates.render(Samples.welcome());
        assertThat(e.subject()).isEqualTo("Welcome to Acme Café");
        assertThat(e.text()).contains("Welcome to Acme Café!").contains("You earned 25 points for joining.");
        assertThat(e.html()).contains("You earned 25 points for joining.");
        Templates.Email none = Templates.render(of("welcome", "Acme", Samples.object().put("signupPoints", 0)));
        assertThat(none.text()).doesNotContain("earned");
    }

    @Test
    void rewardAvailable() {
        Templates.Email e = Templates.render(Samples.rewardAvailable());
        assertThat(e.subject()).isEqualTo("You can now redeem ten-off");
        assertThat(e.text()).contains("You have 120 points in Acme Rewards, enough for ten-off (100 points).");
        assertThat(e.html()).contains("120 points").contains("ten-off").contains("100 points");
    }

    @Test
    void tierUpgraded() {
        Templates.Email e = Templates.render(Samples.tierUpgraded());
        assertThat(e.subject()).isEqualTo("You reached the gold tier");
        assertThat(e.text()).contains("you moved up from silver to gold in Acme Rewards.");
        assertThat(e.html()).contains("from silver to gold");
    }

    @Test
    void anUnknownTypeGetsAGenericMessage() {
        Templates.Email e = Templates.render(of("birthday", null, Samples.object().put("x", 1)));
        assertThat(e.subject()).isEqualTo("News from acme");
        assertThat(e.text()).contains("There is news about your acme membership.");
        assertThat(e.html()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void valuesAreEscapedInHtml() {
        String evil = "<script>alert('x')</script> & \"co\"";
        Templates.Email e = Templates.render(of("tier_upgraded", evil,
                Samples.object().put("tierId", "<script>gold</script>").put("previousTierId", "<b>silver</b>")));
        assertThat(e.html()).doesNotContain("<script>").doesNotContain("<b>")
                .contains("&lt;script&gt;gold&lt;/script&gt;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
                .contains("&lt;b&gt;silver&lt;/b&gt;");
        // the text body carries the values as they are: it is not markup
        assertThat(e.text()).contains("<script>gold</script>");
        for (String type : new String[] {"points_expiring", "welcome", "reward_available", "tier_upgraded", "other"}) {
            ObjectNode p = Samples.object().put("rewardId", "<script>r</script>").put("points", 3)
                    .put("tierId", "<script>t</script>").put("expiresOn", "2027-01-01");
            assertThat(Templates.render(of(type, "<script>p</script>", p)).html()).as(type).doesNotContain("<script>");
        }
    }

    @Test
    void theSubjectIsOneShortLine() {
        Templates.Email e = Templates.render(of("welcome", "Acme\r\nBcc: victim@example.com", Samples.object()));
        assertThat(e.subject()).doesNotContain("\r").doesNotContain("\n").isEqualTo("Welcome to Acme  Bcc: victim@example.com");
        Templates.Email longOne = Templates.render(of("welcome", "A".repeat(1000), Samples.object()));
        assertThat(longOne.subject()).hasSize(Templates.MAX_SUBJECT_CHARS);
    }

    @Test
    void missingOrOddFieldsNeverFailARender() {
        ObjectNode odd = Samples.object().put("points", "forty").put("expiresAt", "tomorrow").put("timezone", "Mars/Olympus")
                .put("cost", 1.5).putNull("rewardId");
        odd.putArray("tierId");
        for (String type : new String[] {"points_expiring", "welcome", "reward_available", "tier_upgraded"}) {
            Templates.Email e = Templates.render(of(type, "", odd));
            assertThat(e.subject()).as(type).isNotBlank();
            assertThat(e.text()).as(type).contains("acme");
            Templates.Email empty = Templates.render(of(type, null, Samples.object()));
            assertThat(empty.subject()).as(type).isNotBlank().doesNotContain("null");
            assertThat(empty.text()).as(type).doesNotContain("null");
        }
        assertThat(Templates.render(of("points_expiring", "A", odd)).subject()).isEqualTo("Your points expire soon");
        assertThat(Templates.render(of("reward_available", "A", odd)).subject()).isEqualTo("You can now redeem a reward");
    }
}
