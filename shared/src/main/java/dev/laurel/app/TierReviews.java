package dev.laurel.app;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Program;
import dev.laurel.domain.TierWindow;
import dev.laurel.json.Json;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tier reviews of the daily run (API.md "Campaigns, segments and tiers": {@code tierPolicy}):
 * a profile whose tier stands from an earlier window is keyed in the {@code due} index at the
 * window's end; the expiry run reviews it with its write ({@link TierWindow#review}): one tier
 * down when the window's points fall short, with a zero-point {@code tier_changed} ledger entry
 * (its id derived from the window, so a repeated run records it once) and the profile's tier
 * (the change stream's {@code tier.changed}), or only the mark that the tier stands.
 */
final class TierReviews {
    /** The ledger entry type of a tier change by the run: it moves no points. */
    static final String ENTRY_TYPE = "tier_changed";

    private TierReviews() {
    }

    /** The review owed at {@code now}: the end of the window it closes, or null. */
    static Instant due(Program program, Customer c, Instant now) {
        return TierWindow.reviewDue(program, c, now);
    }

    /** The review at {@code at}, adding its {@code tier_changed} entry to {@code entries} when it moves the tier. */
    static Records.TierReview review(Program program, Customer c, Instant at, List<Entry> entries) {
        TierWindow.Review r = TierWindow.review(program, c, at);
        if (r.changed()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", r.from().id());
            details.put("to", r.to().id());
            details.put("window", program.tierPolicy().window().wire());
            details.put("windowPoints", TierWindow.points(program, c, at.minusNanos(1)));
            entries.add(new Entry("tier-" + at.getEpochSecond(), ENTRY_TYPE, 0, at, null, null, null, null,
                    Json.write(details)));
        }
        return new Records.TierReview(r.to() == null ? c.tierId() : r.to().id(), TierWindow.sinceDelta(program, c, at)[1]);
    }

    /** The customer with the review's tier and its mark (as the next decisions must see them). */
    static Customer after(Customer c, Records.TierReview tier) {
        Map<String, Long> points = new HashMap<>(c.rulePoints());
        points.merge(TierWindow.SINCE, tier.sinceDelta(), Long::sum);
        return c.after(c.seq(), tier.tierId(), c.available(), c.lifetimeEarned(), c.ruleCounts(), points, c.redemptions())
                .withLots(c.available(), c.pending(), c.lifetimeEarned(), c.lots());
    }
}
