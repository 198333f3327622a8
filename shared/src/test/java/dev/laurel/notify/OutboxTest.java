package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final Instant NOW = Instant.parse("2027-01-30T12:00:00Z");

    private static Notification numbered(int i) {
        return new Notification("welcome:c-" + i, "welcome", "acme", "Acme", "c-" + i, null, Samples.CREATED,
                Samples.object().put("i", i));
    }

    @Test
    void recordsWhatItSendsInOrderAtItsClocksTime() {
        Outbox outbox = new Outbox(Clock.fixed(NOW, ZoneOffset.UTC));
        outbox.send(Samples.welcome());
        outbox.send(Samples.tierUpgraded());
        assertThat(outbox.kind()).isEqualTo("outbox");
        assertThat(outbox.all()).extracting(s -> s.notification().id()).containsExactly("welcome:c-1", "tier_upgraded:gold");
        assertThat(outbox.all()).extracting(Outbox.Sent::at).containsOnly(NOW);
        assertThat(outbox.all().get(1).envelope()).isEqualTo(Envelope.of(Samples.tierUpgraded()));
        assertThat(Delivery.deliver(outbox, Samples.rewardAvailable(), 3, java.time.Duration.ZERO, d -> { }).delivered())
                .isTrue();
        assertThat(outbox.all()).hasSize(3);
    }

    @Test
    void keepsTheNewestTenThousand() {
        Outbox outbox = new Outbox(Clock.systemUTC());
        assertThat(outbox.capacity()).isEqualTo(10_000);
        for (int i = 0; i < 10_005; i++) {
            outbox.send(numbered(i));
        }
        List<Outbox.Sent> all = outbox.all();
        assertThat(all).hasSize(10_000);
        assertThat(all.get(0).notification().id()).isEqualTo("welcome:c-5");
        assertThat(all.get(9_999).notification().id()).isEqualTo("welcome:c-10004");

        Outbox small = new Outbox(Clock.systemUTC(), 2);
        small.send(numbered(1));
        small.send(numbered(2));
        small.send(numbered(3));
        assertThat(small.all()).extracting(s -> s.notification().customerId()).containsExactly("c-2", "c-3");
        assertThatThrownBy(() -> new Outbox(Clock.systemUTC(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearEmptiesItAndSnapshotsDoNotChange() {
        Outbox outbox = new Outbox(Clock.systemUTC());
        outbox.send(Samples.welcome());
        List<Outbox.Sent> before = outbox.all();
        outbox.clear();
        assertThat(outbox.all()).isEmpty();
        assertThat(before).hasSize(1);
        assertThatThrownBy(() -> before.add(before.get(0))).isInstanceOf(UnsupportedOperationException.class);
        outbox.send(Samples.welcome());
        assertThat(outbox.all()).hasSize(1);
    }

    @Test
    void concurrentSendersLoseNothing() throws Exception {
        Outbox outbox = new Outbox(Clock.systemUTC());
        int threads = 4;
        int each = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    outbox.send(numbered(base + i));
                    if (i % 500 == 0) {
                        outbox.all(); // readers alongside writers
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join(30_000);
        }
        assertThat(outbox.all()).hasSize(threads * each);
        assertThat(outbox.all()).extracting(s -> s.notification().id()).doesNotHaveDuplicates();
    }
}
