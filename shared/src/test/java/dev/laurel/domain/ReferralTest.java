package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferralTest {
    static final Program.Referrals RULES = new Program.Referrals(500, 200, 2000, 2L);

    static Customer member(String id, String email) {
        return new Customer(id, true, 1, email, Map.of(), false, null, 0, 0, 0, Map.of(), Map.of(), Map.of(), List.of(), null,
                Set.of(), 0);
    }

    @Test
    void normalEmailIsTrimmedLowerCasedAndLosesItsTag() {
        assertThat(Referral.normalEmail(" Alice+Promo@Example.COM ")).isEqualTo("alice@example.com");
        assertThat(Referral.normalEmail("bob@example.com")).isEqualTo("bob@example.com");
        assertThat(Referral.normalEmail("a+b+c@x.org")).isEqualTo("a@x.org");
        assertThat(Referral.normalEmail(null)).isNull();
    }

    @Test
    void namingReasons() {
        Customer alice = member("alice", "alice@example.com");
        Referral none = Referral.NONE;
        assertThat(Referral.namingReasons(RULES, false, "bob", null, alice, none)).isEmpty();
        assertThat(Referral.namingReasons(RULES, false, "bob", null, null, null)).containsExactly(Referral.UNKNOWN_CODE);
        assertThat(Referral.namingReasons(RULES, false, "alice", null, alice, none)).containsExactly(Referral.SELF);
        assertThat(Referral.namingReasons(RULES, false, "al", "ALICE+x@example.com", alice, none)).containsExactly(Referral.SELF);
        assertThat(Referral.namingReasons(RULES, true, "bob", null, alice, none)).containsExactly(Referral.ALREADY_MEMBER);
        Referral full = new Referral("C", null, null, null, 2, 1000);
        assertThat(Referral.namingReasons(RULES, false, "bob", null, alice, full)).containsExactly(Referral.REFERRER_LIMIT);
        assertThat(Referral.refusal(List.of())).isNull();
        assertThat(Referral.refusal(List.of(Referral.SELF)).code()).isEqualTo(Refusal.Code.NOT_ELIGIBLE);
    }

    @Test
    void onlyANamedRefereesOrderOfAtLeastTheMinimumQualifies() {
        Referral named = Referral.NONE.withCode("X").named("ABC", "alice");
        Event big = new Event(Event.ORDER_PAID, "o", java.time.Instant.EPOCH, new Order("o", 2000, "EUR", 0, List.of()), Map.of());
        Event small = new Event(Event.ORDER_PAID, "o", java.time.Instant.EPOCH, new Order("o", 1999, "EUR", 0, List.of()), Map.of());
        assertThat(named.qualifies(RULES, big)).isTrue();
        assertThat(named.qualifies(RULES, small)).isFalse();
        assertThat(named.withStatus(Referral.COMPLETED).qualifies(RULES, big)).isFalse();
        assertThat(Referral.NONE.qualifies(RULES, big)).isFalse();
        assertThat(named.qualifies(null, big)).isFalse();
    }

    @Test
    void generatedCodesUseTheRewardCodesAlphabet() {
        for (int i = 0; i < 100; i++) {
            assertThat(Ids.referralCode()).hasSize(Referral.CODE_SYMBOLS).matches("[" + Ids.CODE_ALPHABET + "]+");
        }
    }
}
