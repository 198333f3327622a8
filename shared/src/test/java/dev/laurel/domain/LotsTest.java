package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LotsTest {
    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    static final Instant X = Instant.parse("2027-11-23T23:00:00Z");

    @Test
    void aLotOfTheSameExpiryOrderAndWindowMergesOthersDoNot() {
        List<Lot> lots = new ArrayList<>();
        Lot a = Lots.add(lots, new Lot("a", 10, 10, NOW, X, null), NOW);
        Lot b = Lots.add(lots, new Lot("b", 5, 5, NOW.plusSeconds(1), X, null), NOW);
        Lot c = Lots.add(lots, new Lot("c", 7, 7, NOW, X, "o-1"), NOW);
        Lot d = Lots.add(lots, new Lot("d", 3, 3, NOW, X.plusSeconds(86400), null), NOW);
        assertThat(a).isEqualTo(new Lot("a", 10, 10, NOW, X, null));
        assertThat(b).isEqualTo(new Lot("a", 15, 15, NOW, X, null));
        assertThat(lots).containsExactly(b, c, d);
    }

    @Test
    void aLotPastItsExpiryTakesNoMore() {
        List<Lot> lots = new ArrayList<>(List.of(new Lot("a", 10, 10, NOW, NOW, null)));
        Lots.add(lots, new Lot("b", 5, 5, NOW, NOW, null), NOW);
        assertThat(lots).hasSize(2);
        assertThat(Lots.expired(lots, NOW)).containsExactly(15, 0);
    }

    @Test
    void aRedemptionKeepsABoundedNumberOfLotsAndNeverLetsPointsOutliveTheirExpiry() {
        List<Spending.Take> takes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Lot l = new Lot("l" + i, 10, 10, NOW.plusSeconds(i), X.plusSeconds(86400L * (i % 700)), "o-" + i);
            takes.add(new Spending.Take(l, 4));
        }
        List<Lot> kept = Lots.taken(takes, 500);
        assertThat(kept.size()).isLessThanOrEqualTo(500);
        assertThat(kept.stream().mapToLong(Lot::remaining).sum()).isEqualTo(12000);
        assertThat(kept.get(0).expiresAt()).isEqualTo(X);
        // each kept lot expires no later than any points it stands for
        Instant previous = Instant.MIN;
        for (Lot l : kept) {
            assertThat(l.expiresAt()).isAfter(previous);
            previous = l.expiresAt();
        }
        assertThat(Lots.taken(takes.subList(0, 10), 500)).hasSize(10);
    }

    @Test
    void capCountersOfPeriodsLongOverAreExpired() {
        LocalDate today = LocalDate.parse("2027-12-30");
        assertThat(Earning.expiredCapKeys(List.of("r@2026-11-23", "r@2026-11-25", "r@2026-W47", "r@2026-W48", "r@2026-10",
                "r@2026-11", "r@2025", "r@2026", "r", "odd@x"), today))
                .containsExactly("r@2025", "r@2026-10", "r@2026-11-23", "r@2026-W47");
    }
}
