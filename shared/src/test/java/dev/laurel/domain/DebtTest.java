package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DebtTest {
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    static Lot pending(String id, long points, Instant until) {
        return new Lot(id, points, points, T.minusSeconds(86_400), T.plusSeconds(365 * 86_400L), "o-" + id, until, false);
    }

    static Customer owing(long owed, List<Lot> lots) {
        long pending = lots.stream().filter(Lot::pending).mapToLong(Lot::remaining).sum();
        long available = lots.stream().filter(l -> !l.pending()).mapToLong(Lot::remaining).sum();
        return new Customer("c-1", true, 3, null, Map.of(), false, null, available, pending, 500, Map.of(), Map.of(),
                Map.of(), lots, T, Set.of(), owed);
    }

    @Test
    void aCreditPaysAllItCanAndNoMore() {
        assertThat(Debt.pay(70, 30)).isEqualTo(new Debt.Payment(30, 70, 40));
        assertThat(Debt.pay(70, 100)).isEqualTo(new Debt.Payment(70, 70, 0));
        assertThat(Debt.pay(0, 100)).isEqualTo(new Debt.Payment(0, 0, 0));
        assertThatThrownBy(() -> Debt.pay(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releasedLotsPayInReleaseOrderAndTheSettledCustomerShowsIt() {
        Lot late = pending("b", 50, T.minusSeconds(10));
        Lot early = pending("a", 40, T.minusSeconds(20));
        Lot still = pending("c", 90, T.plusSeconds(10));
        Customer c = owing(60, List.of(late, still, early));
        List<Debt.LotPayment> paid = Debt.onRelease(c, T);
        assertThat(paid).extracting(p -> p.lot().lotId()).containsExactly("a", "b");
        assertThat(paid).extracting(p -> p.payment().points()).containsExactly(40L, 20L);
        assertThat(paid.get(1).payment()).isEqualTo(new Debt.Payment(20, 20, 0));

        Customer s = c.settled(T);
        assertThat(s.owed()).isZero();
        assertThat(s.available()).isEqualTo(30);
        assertThat(s.pending()).isEqualTo(90);
        assertThat(s.lots()).extracting(Lot::lotId).containsExactlyInAnyOrder("b", "c");
        assertThat(s.lots()).filteredOn(l -> l.lotId().equals("b")).extracting(Lot::remaining).containsExactly(30L);
        // nothing owed: a release pays nothing
        assertThat(Debt.onRelease(owing(0, List.of(early)), T)).isEmpty();
        assertThat(owing(0, List.of(early)).settled(T).available()).isEqualTo(40);
    }
}
