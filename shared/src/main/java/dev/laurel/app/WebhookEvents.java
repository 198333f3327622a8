package dev.laurel.app;

import dev.laurel.json.Json;
import dev.laurel.store.Change;
import dev.laurel.store.Records.Entry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The events of outbound webhooks, derived from one committed change of the table (a stream
 * record's item images), never from a request:
 * <ul>
 * <li>a ledger entry: {@code earn} → {@code points.earned}, {@code expire} → {@code points.expired},
 *     {@code refund} and {@code debt} → {@code points.refunded}, {@code redeem} → {@code reward.redeemed},
 *     {@code rollback} → {@code redemption.rolled_back}, {@code donation} → {@code donation.made}
 *     (entries of 0 points report nothing);</li>
 * <li>a profile: created → {@code customer.joined}; email, attributes or consent changed →
 *     {@code customer.updated} (a balance change alone is none); tier changed → {@code tier.changed};</li>
 * <li>a reward code's item moved from issued to used → {@code code.used} (a refused use commits nothing, a code
 *     rolled back or expired unused never says used).</li>
 * </ul>
 * An event's {@code id} is a hash of what identifies its item version (the entry's id; the profile's
 * {@code seq}) and its type, so every re-delivery of the record derives the same id. Its
 * {@code sequence} orders one customer's events: every write of a customer bumps the profile's
 * {@code seq} once and records it on the write's ledger entries, so
 * {@code sequence = seq × 1000 + k} with k = 0 joined, 1 updated, 10 + the entry's place in its
 * write, 990 tier changed: strictly increasing over one customer's events. A code's use writes no profile:
 * its {@code code.used} takes the seq of its redemption's write (kept on the code item) and k = 995, so it
 * follows its {@code reward.redeemed} and precedes that redemption's rollback; among the customer's other
 * events after the redemption its place says nothing about time ({@code data.usedAt} does).
 */
public final class WebhookEvents {
    public static final String CUSTOMER_JOINED = "customer.joined";
    public static final String CUSTOMER_UPDATED = "customer.updated";
    public static final String POINTS_EARNED = "points.earned";
    public static final String POINTS_EXPIRED = "points.expired";
    public static final String POINTS_REFUNDED = "points.refunded";
    public static final String REWARD_REDEEMED = "reward.redeemed";
    public static final String REDEMPTION_ROLLED_BACK = "redemption.rolled_back";
    public static final String TIER_CHANGED = "tier.changed";
    public static final String CODE_USED = "code.used";
    /** The referrer's {@code referral} entry of a completed referral: {referrerId, refereeId, points, orderId}. */
    public static final String REFERRAL_COMPLETED = "referral.completed";
    private static final int REFERRAL_BASE = 500;
    public static final String DONATION_MADE = "donation.made";
    public static final String IMPORT_COMPLETED = "import.completed";
    /** Every event a webhook may subscribe to (API.md). */
    public static final Set<String> TYPES = Set.of(CUSTOMER_JOINED, CUSTOMER_UPDATED, POINTS_EARNED, POINTS_EXPIRED,
            POINTS_REFUNDED, REWARD_REDEEMED, REDEMPTION_ROLLED_BACK, TIER_CHANGED, CODE_USED, REFERRAL_COMPLETED,
            DONATION_MADE, IMPORT_COMPLETED);
    static final long PER_WRITE = 1000;
    private static final int ENTRY_BASE = 10;
    private static final int TIER_LAST = 990;
    /** A code's use: after every event of its redemption's write. */
    private static final int CODE_USE = 995;

    private WebhookEvents() {
    }

    /**
     * One event. {@code data} holds plain values (strings, numbers, booleans, lists, maps).
     */
    public record Event(String id, String type, Instant createdAt, String tenant, String programId, String customerId,
                        long sequence, Map<String, Object> data) {
        public Event {
            Objects.requireNonNull(id, "id");
            data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        /** The document a webhook receives: {@code {"id","type","createdAt","programId","customerId"?,"sequence","data"}}. */
        public String body() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("type", type);
            o.put("createdAt", createdAt.toString());
            o.put("programId", programId);
            if (customerId != null) {
                o.put("customerId", customerId);
            }
            o.put("sequence", sequence);
            o.put("data", data);
            return Json.write(o);
        }
    }

    /** The events one change reports, in sequence order (none for most changes). */
    public static List<Event> of(Change c) {
        List<Event> out = new ArrayList<>();
        if (c.entry() != null && c.order() != null) {
            entry(c, c.entry(), out);
        } else if (c.profile() != null) {
            profile(c, out);
        } else if (c.codeUse() != null) {
            codeUse(c, c.codeUse(), out);
        } else if (c.importDone() != null) {
            out.add(importDone(c, c.importDone()));
        }
        return out;
    }

    private static void codeUse(Change c, Change.CodeUse u, List<Event> out) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", u.code());
        data.put("rewardId", u.rewardId());
        data.put("redemptionId", u.redemptionId());
        data.put("orderId", u.orderId());
        putIf(data, "location", u.location());
        data.put("discountMinor", u.discountMinor());
        data.put("usedAt", u.usedAt().toString());
        // a code is used at most once: its code identifies the use
        out.add(new Event(id(c, "K#" + u.code(), CODE_USED), CODE_USED, u.usedAt(), c.tenant(), c.programId(), c.customerId(),
                sequence(u.seq(), CODE_USE), data));
    }

    /**
     * {@code import.completed}: the import's last chunk was sent (status {@code open}) or its revert
     * finished (status {@code reverted}); one event per (import, status), no customer, sequence 0.
     */
    private static Event importDone(Change c, Change.ImportDone d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("importId", d.importId());
        data.put("rows", d.rows());
        data.put("imported", d.imported());
        data.put("failed", d.failed());
        data.put("pointsImported", d.pointsImported());
        data.put("dryRun", d.dryRun());
        data.put("status", d.status());
        return new Event(id(c, "IMPORT#" + d.importId() + "#" + d.status(), IMPORT_COMPLETED), IMPORT_COMPLETED, d.at(), c.tenant(),
                c.programId(), null, 0, data);
    }

    private static void entry(Change c, Entry e, List<Event> out) {
        String type = switch (e.type()) {
            case "earn" -> POINTS_EARNED;
            case "expire" -> POINTS_EXPIRED;
            case "refund", "debt" -> POINTS_REFUNDED;
            case dev.laurel.domain.Referral.ENTRY_TYPE -> e.points() > 0 ? POINTS_EARNED : POINTS_REFUNDED;
            case "redeem" -> REWARD_REDEEMED;
            case "rollback" -> REDEMPTION_ROLLED_BACK;
            case Donate.ENTRY_TYPE -> DONATION_MADE;
            default -> null;
        };
        if (type == null || e.points() == 0) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Donate.Given given = Donate.given(e);
        if (given != null) {
            // donation.made: the donation as its answer gave it (points given, positive) and its value
            data.put("donationId", e.entryId());
            data.put("charityId", given.charityId());
            data.put("points", -e.points());
            data.put("valueMinor", given.valueMinor());
            data.put("at", e.at().toString());
            out.add(new Event(id(c, "E#" + e.entryId(), type), type, e.at(), c.tenant(), c.programId(), c.customerId(),
                    sequence(c.order().seq(), ENTRY_BASE + c.order().ordinal()), data));
            return;
        }
        data.put("entryId", e.entryId());
        data.put("entryType", e.type());
        data.put("points", e.points());
        data.put("at", e.at().toString());
        putIf(data, "ruleId", e.ruleId());
        putIf(data, "rewardId", e.rewardId());
        putIf(data, "orderId", e.orderId());
        putIf(data, "redemptionId", e.redemptionId());
        long sequence = sequence(c.order().seq(), ENTRY_BASE + c.order().ordinal());
        out.add(new Event(id(c, "E#" + e.entryId(), type), type, e.at(), c.tenant(), c.programId(), c.customerId(), sequence,
                data));
        referral(c, e, out);
    }

    /** A referrer's positive {@code referral} entry (its details name the referee) also reports {@code referral.completed}. */
    private static void referral(Change c, Entry e, List<Event> out) {
        if (!dev.laurel.domain.Referral.ENTRY_TYPE.equals(e.type()) || e.points() <= 0 || e.details() == null) {
            return;
        }
        Object details = Json.plain(e.details());
        if (!(details instanceof Map<?, ?> d) || !(d.get("refereeId") instanceof String refereeId)) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("referrerId", c.customerId());
        data.put("refereeId", refereeId);
        data.put("points", e.points());
        if (d.get("orderId") instanceof String orderId) {
            data.put("orderId", orderId);
        }
        data.put("entryId", e.entryId());
        out.add(new Event(id(c, "E#" + e.entryId(), REFERRAL_COMPLETED), REFERRAL_COMPLETED, e.at(), c.tenant(), c.programId(),
                c.customerId(), sequence(c.order().seq(), REFERRAL_BASE + c.order().ordinal()), data));
    }

    private static void profile(Change c, List<Event> out) {
        Change.Profile now = c.profile();
        Change.Profile before = c.previous();
        Instant at = now.updatedAt() != null ? now.updatedAt() : c.joinedAt() != null ? c.joinedAt() : c.streamedAt();
        if (before == null) {
            Map<String, Object> data = member(now);
            data.put("joinedAt", (c.joinedAt() != null ? c.joinedAt() : at).toString());
            out.add(event(c, now, CUSTOMER_JOINED, 0, at, data));
            return;
        }
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(now.email(), before.email())) {
            changed.add("email");
        }
        if (!Objects.equals(now.attributes(), before.attributes())) {
            changed.add("attributes");
        }
        if (now.marketingConsent() != before.marketingConsent()) {
            changed.add("consent");
        }
        if (!changed.isEmpty()) {
            Map<String, Object> data = member(now);
            data.put("changed", changed);
            out.add(event(c, now, CUSTOMER_UPDATED, 1, at, data));
        }
        if (now.tier() != null && !now.tier().equals(before.tier())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tierId", now.tier());
            data.put("previousTierId", before.tier());
            out.add(event(c, now, TIER_CHANGED, TIER_LAST, at, data));
        }
    }

    private static Event event(Change c, Change.Profile p, String type, int k, Instant at, Map<String, Object> data) {
        return new Event(id(c, "P#" + p.seq(), type), type, at, c.tenant(), c.programId(), c.customerId(),
                sequence(p.seq(), k), data);
    }

    private static Map<String, Object> member(Change.Profile p) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", p.email());
        data.put("attributes", p.attributes());
        data.put("consent", Map.of("marketing", p.marketingConsent()));
        data.put("tier", p.tier());
        return data;
    }

    private static long sequence(long seq, int k) {
        return Math.addExact(Math.multiplyExact(seq, PER_WRITE), k);
    }

    private static void putIf(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** {@code evt_} and 32 hex digits of SHA-256 over the item's identity and the event type. */
    static String id(Change c, String item, String type) {
        String text = c.tenant() + "\n" + c.programId() + "\n" + c.customerId() + "\n" + item + "\n" + type;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
