package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Donate;
import dev.laurel.app.Earn;
import dev.laurel.app.PerVersion;
import dev.laurel.app.Programs;
import dev.laurel.app.Redeem;
import dev.laurel.app.Refund;
import dev.laurel.app.Rendered;
import dev.laurel.app.Rollback;
import dev.laurel.app.Upsert;
import dev.laurel.app.Validate;
import dev.laurel.app.Wallet;
import dev.laurel.domain.Backdating;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Program.Tier;
import dev.laurel.json.Json;
import dev.laurel.json.JsonText;
import dev.laurel.store.Records;
import java.util.IdentityHashMap;
import java.util.Map;

/** Response views: each use case's result as the API answers it (api/openapi.yaml has the schemas). */
final class Views {
    private Views() {
    }

    static Response programSaved(Programs.Saved s) {
        ObjectNode out = Json.object().put("programId", s.programId()).put("version", s.version());
        return Response.raw(s.created() ? 201 : 200, Json.write(out), Map.of("ETag", "\"" + s.version() + "\""));
    }

    static Response program(String programId, Records.StoredProgram p) {
        ObjectNode out = Json.object().put("programId", programId).put("version", p.version())
                .put("createdAt", (p.createdAt() == null ? Backdating.LEGACY_CREATED_AT : p.createdAt()).toString());
        out.setAll((ObjectNode) Json.read(p.definition()));
        JsonNode channel = out.get("channel");
        if (channel instanceof ObjectNode c && c.has("secret")) {
            c.remove("secret");
            c.put("secretSet", true); // write-only: never answered
        }
        return Response.raw(200, Json.write(out), Map.of("ETag", "\"" + p.version() + "\""));
    }

    static Response statusSet(Programs.StatusSet s) {
        ObjectNode out = Json.object().put("programId", s.programId()).put("version", s.version())
                .put(s.collection().equals("rewards") ? "rewardId" : "ruleId", s.itemId()).put("status", s.status());
        return Response.json(200, out);
    }

    static Response upsert(Program program, Upsert.Result r, java.time.Instant now) {
        ObjectNode out = Json.object().put("customerId", r.customerId()).put("created", r.created());
        if (r.signupPoints() != null) {
            out.put("signupPoints", r.signupPoints());
        }
        ObjectNode consent = out.putObject("consent").put("marketing",
                dev.laurel.domain.Consent.state(r.after().marketingConsent(), r.after().consent()));
        if (r.confirmationSent() != null) {
            consent.put("confirmationSent", r.confirmationSent());
        }
        out.set("balance", balance(r.after()));
        out.set("tier", tierInfo(program, r.after(), dev.laurel.domain.TierWindow.points(program, r.after(), now)));
        return Response.json(r.created() ? 201 : 200, out);
    }

    static Response wallet(Program program, Wallet.Result w, java.time.Instant now) {
        Customer c = w.customer();
        ObjectNode out = Json.object().put("customerId", w.customerId()).put("locale", c.locale());
        out.set("tier", tierInfo(program, c, dev.laurel.domain.TierWindow.points(program, c, now)));
        out.set("balance", balance(c));
        out.putObject("consent").put("marketing", dev.laurel.domain.Consent.state(c.marketingConsent(), c.consent()));
        ArrayNode pending = out.putArray("pending");
        w.pending().forEach(p -> pending.addObject().put("points", p.points()).put("availableAt", p.availableAt().toString())
                .put("availableOn", p.availableOn().toString()));
        ArrayNode expiring = out.putArray("expiring");
        w.expiring().forEach(e -> expiring.addObject().put("points", e.points()).put("on", e.on().toString()));
        ArrayNode rewards = out.putArray("rewards");
        for (Wallet.RewardLine line : w.rewards()) {
            Reward r = line.reward();
            ObjectNode ro = rewards.addObject().put("rewardId", r.id());
            if (r.name() != null) {
                ro.put("name", r.name());
            }
            ro.put("type", r.type().wire()).put("cost", r.cost()).put("affordable", line.affordable())
                    .put("eligible", line.eligible());
            if (!line.reasons().isEmpty()) {
                ArrayNode why = ro.putArray("reasons");
                line.reasons().forEach(why::add);
            }
        }
        referral(out, w.referral());
        ArrayNode segments = out.putArray("segments"); // the program's named segments the member is in, decided now
        w.segments().forEach(segments::add);
        return Response.json(200, out);
    }

    /** The wallet's {@code referral}: the member's code, the code they named, completed referrals, referral points. */
    private static void referral(ObjectNode out, dev.laurel.domain.Referral r) {
        ObjectNode o = out.putObject("referral").put("code", r.code());
        if (r.referredBy() != null) {
            o.put("referredBy", r.referredBy()).put("status", r.status());
        }
        o.put("referred", r.referred()).put("pointsEarned", r.pointsEarned());
    }

    static Response ledger(Records.LedgerPage page) {
        ObjectNode out = Json.object();
        ArrayNode entries = out.putArray("entries");
        for (Records.LedgerEntry e : page.entries()) {
            ObjectNode o = entries.addObject().put("id", e.id()).put("type", e.type()).put("points", e.points())
                    .put("at", e.at().toString());
            if (e.ruleId() != null) {
                o.put("ruleId", e.ruleId());
            }
            if (e.rewardId() != null) {
                o.put("rewardId", e.rewardId());
            }
            if (e.orderId() != null) {
                o.put("orderId", e.orderId());
            }
            if (e.redemptionId() != null) {
                o.put("redemptionId", e.redemptionId());
            }
            o.put("programVersion", e.programVersion());
            if (e.details() != null) {
                o.set("details", Json.read(e.details()));
            }
        }
        if (page.cursor() != null) {
            out.put("cursor", page.cursor());
        }
        return Response.json(200, out);
    }

    static Rendered earn(Earn.Result r) {
        ObjectNode out = Json.object().put("customerId", r.customerId()).put("entryId", r.entryId())
                .put("pointsEarned", r.plan().points());
        out.set("breakdown", breakdown(r.plan()));
        if (r.join() != null) {
            ObjectNode j = out.putObject("enrolled").put("signupPoints", r.join().points());
            j.set("breakdown", breakdown(r.join()));
        }
        out.set("balance", balance(r.after()));
        out.putObject("tier").put("id", r.tierId()).put("changed", r.tierChanged());
        if (r.expiresAt() != null) {
            out.put("expiresAt", r.expiresAt().toString());
        }
        if (r.pendingUntil() != null) {
            out.put("pendingUntil", r.pendingUntil().toString());
        }
        if (r.referral() != null && r.referral().referredBy() != null) {
            out.putObject("referral").put("referredBy", r.referral().referredBy()).put("status", r.referral().status())
                    .put("points", r.referralPoints());
        }
        return new Rendered(200, Json.write(out));
    }

    /** Written field by field ({@link JsonText}): a qualification check lists up to every reward of the program. */
    static Response validate(Validate.Result v) {
        return validate(v, null);
    }

    /** {@link #validate(Validate.Result)} with {@code program}'s constant text per reward, made once per version. */
    static Response validate(Program program, Validate.Result v) {
        return validate(v, REWARD_TEXT.of(program));
    }

    /** Each reward's constant text in validate's answer: {@code {"rewardId":..,"valid":} and {@code ,"cost":..}}. */
    private static final PerVersion<Map<Reward, String[]>> REWARD_TEXT = new PerVersion<>(p -> {
        Map<Reward, String[]> text = new IdentityHashMap<>();
        for (Reward r : p.rewards()) {
            text.put(r, rewardText(r));
        }
        return text;
    });

    private static String[] rewardText(Reward r) {
        return new String[] {JsonText.string(new StringBuilder("{\"rewardId\":"), r.id()).append(",\"valid\":").toString(),
            ",\"cost\":" + r.cost() + "}"};
    }

    /** Each thread's builder of validate answers, kept between calls unless one grew it past {@link #KEPT_CHARS}. */
    private static final ThreadLocal<StringBuilder> ANSWER = ThreadLocal.withInitial(() -> new StringBuilder(8192));
    private static final int KEPT_CHARS = 1 << 16;

    private static Response validate(Validate.Result v, Map<Reward, String[]> known) {
        StringBuilder out = ANSWER.get();
        out.setLength(0);
        out.append("{\"valid\":").append(v.valid()).append(",\"rewards\":[");
        for (int i = 0, n = v.rewards().size(); i < n; i++) {
            Validate.Line line = v.rewards().get(i);
            String[] text = known == null ? null : known.get(line.reward());
            if (text == null) {
                text = rewardText(line.reward()); // a reward of no known program (priming's)
            }
            (i == 0 ? out : out.append(',')).append(text[0]).append(line.valid()).append(",\"reasons\":[");
            for (int j = 0, m = line.reasons().size(); j < m; j++) {
                JsonText.string(j == 0 ? out : out.append(','), line.reasons().get(j));
            }
            out.append("],\"discountMinor\":").append(line.discountMinor()).append(text[1]);
        }
        out.append("],\"earnPreview\":{\"points\":").append(v.earnPreview()).append("}}");
        String body = out.toString();
        if (out.capacity() > KEPT_CHARS) {
            ANSWER.remove();
        }
        return Response.raw(200, body, Map.of());
    }

    static Rendered redeem(Redeem.Result r) {
        ObjectNode out = Json.object().put("redemptionId", r.redemptionId()).put("rewardId", r.rewardId())
                .put("customerId", r.customerId()).put("pointsSpent", r.pointsSpent())
                .put("discountMinor", r.discountMinor());
        if (r.valueMinor() != null) {
            out.put("valueMinor", r.valueMinor());
        }
        out.put("code", r.code());
        out.set("balance", balance(r.after()));
        return new Rendered(201, Json.write(out));
    }

    static Rendered donate(Donate.Result r) {
        ObjectNode out = Json.object().put("donationId", r.donationId()).put("charityId", r.charityId())
                .put("customerId", r.customerId()).put("points", r.points()).put("valueMinor", r.valueMinor());
        out.set("balance", balance(r.after()));
        return new Rendered(201, Json.write(out));
    }

    static Rendered rollback(Rollback.Result r) {
        ObjectNode out = Json.object().put("redemptionId", r.redemptionId()).put("rewardId", r.rewardId())
                .put("customerId", r.customerId()).put("status", "rolled_back").put("pointsRestored", r.pointsRestored());
        return new Rendered(200, Json.write(out));
    }

    static Rendered refund(Refund.Result r) {
        ObjectNode out = Json.object().put("customerId", r.customerId()).put("orderId", r.orderId())
                .put("refundedMinor", r.refundedMinor()).put("totalRefundedMinor", r.totalRefundedMinor())
                .put("pointsClawedBack", r.pointsClawedBack()).put("pendingCancelled", r.pendingCancelled())
                .put("uncollectedPoints", r.uncollectedPoints());
        out.set("balance", balance(r.after()));
        out.putObject("tier").put("id", r.tierId()).put("changed", r.tierChanged());
        return new Rendered(200, Json.write(out));
    }

    static ObjectNode balance(Customer c) {
        return Json.object().put("available", c.available()).put("pending", c.pending())
                .put("lifetimeEarned", c.lifetimeEarned()).put("owed", c.owed());
    }

    /** The tier and the progress to the next; {@code counting}: the points that count for tiers (lifetime, or the window's). */
    static ObjectNode tierInfo(Program program, Customer c, long counting) {
        ObjectNode t = Json.object();
        Tier tier = Earning.currentTier(program, c);
        t.put("id", tier == null ? null : tier.id());
        program.nextTier(tier).ifPresentOrElse(
                next -> t.put("next", next.id()).put("pointsToNext", Math.max(0, next.threshold() - counting)),
                () -> t.putNull("next"));
        return t;
    }

    private static ArrayNode breakdown(Earning.Plan plan) {
        ArrayNode a = Json.array();
        for (Earning.Line l : plan.breakdown()) {
            ObjectNode o = a.addObject();
            if (l.ruleId() != null) {
                o.put("ruleId", l.ruleId());
            } else {
                o.put("tierId", l.tierId());
            }
            o.put("points", l.points());
            if (l.multiplier() != null) {
                o.put("multiplier", l.multiplier());
            }
            if (l.capped() != null) {
                o.put("capped", l.capped());
            }
        }
        return a;
    }
}
