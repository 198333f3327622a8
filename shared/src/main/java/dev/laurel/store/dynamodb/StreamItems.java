package dev.laurel.store.dynamodb;

import dev.laurel.store.Change;
import dev.laurel.store.CodeStore;
import dev.laurel.store.ImportStore;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.Map;

/**
 * Reads a stream record's item images (attribute name → its value as text, see {@link Change.Reader}) into a
 * {@link Change}: the one place that knows which items of the table are ledger entries,
 * redemptions, profiles and reward codes (a use: issued → used). Anything else (idempotency records, budgets, report items) is not a
 * change the derivations use: null.
 */
public final class StreamItems {
    private StreamItems() {
    }

    /**
     * @param eventName INSERT, MODIFY or REMOVE
     * @param keys the item's key ({@code pk}, {@code sk})
     * @param newImage the item after (empty on REMOVE)
     * @param oldImage the item before (empty on INSERT)
     */
    public static Change change(String shard, String sequence, Instant streamedAt, String eventName, Map<String, String> keys,
                                Map<String, String> newImage, Map<String, String> oldImage) {
        String pk = keys.get("pk");
        String sk = keys.get("sk");
        if (pk == null || sk == null) {
            return null;
        }
        ReportItems.pad(sequence);
        boolean insert = "INSERT".equals(eventName);
        String[] customer = Keys.parseCustomer(pk);
        if (customer != null && insert && sk.startsWith(Keys.LEDGER_PREFIX)) {
            Map<String, String> i = newImage;
            Entry e = new Entry(i.get("id"), i.get("type"), Long.parseLong(i.get("points")), Instant.parse(i.get("at")),
                    i.get("ruleId"), i.get("rewardId"), i.get("orderId"), i.get("redemptionId"),
                    dev.laurel.domain.Referral.ENTRY_TYPE.equals(i.get("type")) || "donation".equals(i.get("type"))
                            ? i.get("details") : null); // the other party of a referral; a donation's charity and value
            Change.Order order = new Change.Order(Long.parseLong(i.getOrDefault(Writes.SEQ, "0")),
                    Integer.parseInt(i.getOrDefault(Writes.ORD, "0")));
            return new Change(shard, sequence, streamedAt, customer[0], customer[1], customer[2], e, null, null, 0, order, null,
                    null);
        }
        if (customer != null && sk.equals(Keys.PROFILE)) {
            long delta = Math.subtractExact(balance(newImage), balance(oldImage));
            Instant joined = insert ? Instant.parse(newImage.getOrDefault("joinedAt", streamedAt.toString())) : null;
            return new Change(shard, sequence, streamedAt, customer[0], customer[1], customer[2], null, null, joined, delta, null,
                    profile(newImage), profile(oldImage));
        }
        String[] redemption = Keys.parseRedemption(pk);
        if (redemption != null && insert && sk.equals(Keys.REDEMPTION)) {
            Map<String, String> i = newImage;
            Change.Redemption r = new Change.Redemption(redemption[2], i.get("rewardId"), Instant.parse(i.get("at")),
                    Long.parseLong(i.getOrDefault("discountMinor", "0")), Long.parseLong(i.getOrDefault("attributedOrderMinor", "0")));
            return new Change(shard, sequence, streamedAt, redemption[0], redemption[1], i.get("customerId"), null, r, null, 0);
        }
        String[] code = Keys.parseCode(pk);
        if (code != null && "MODIFY".equals(eventName) && sk.equals(Keys.CODE) && used(newImage)
                && CodeStore.Status.ISSUED.wire().equals(oldImage.get("status"))) {
            return new Change(shard, sequence, streamedAt, code[0], code[1], newImage.get("customerId"), null, null, null, 0, null,
                    null, null, codeUse(newImage), null);
        }
        if (sk.equals(ImportItems.IMPORT) && !"REMOVE".equals(eventName)) {
            return importDone(shard, sequence, streamedAt, pk, newImage, oldImage);
        }
        return null;
    }

    /** A code image that says used (null or empty: no image). */
    private static boolean used(Map<String, String> image) {
        return image != null && CodeStore.Status.USED.wire().equals(image.get("status"));
    }

    /** A used code item's image as its use ({@link CodeItems}: {@code seq} is its redemption's). */
    private static Change.CodeUse codeUse(Map<String, String> i) {
        return new Change.CodeUse(i.get("code"), i.get("rewardId"), i.get("redemptionId"), i.get("orderId"), i.get("location"),
                Long.parseLong(i.getOrDefault("discountMinor", "0")), Instant.parse(i.get("usedAt")),
                Long.parseLong(i.getOrDefault(Writes.SEQ, "0")));
    }

    /** The import item: a change only when the import comes to an end (completed now, or reverted now). */
    private static Change importDone(String shard, String sequence, Instant streamedAt, String pk, Map<String, String> now,
                                     Map<String, String> before) {
        String[] p = pk.split("#", -1);
        if (p.length != 6 || !p[0].equals("T") || !p[2].equals("P") || !p[4].equals("IMPORT")) {
            return null;
        }
        Map<String, String> old = before == null ? Map.of() : before;
        boolean completed = now.containsKey("completedAt") && !old.containsKey("completedAt");
        boolean reverted = ImportStore.REVERTED.equals(now.get("status")) && !ImportStore.REVERTED.equals(old.get("status"));
        if (!completed && !reverted) {
            return null;
        }
        String at = reverted ? now.get("revertFinishedAt") : now.get("completedAt");
        Change.ImportDone done = new Change.ImportDone(now.get("importId"), now.get("status"), Boolean.parseBoolean(now.get("dryRun")),
                num(now, "rows"), num(now, "imported"), num(now, "failed"), num(now, "pointsImported"),
                at == null ? streamedAt : Instant.parse(at));
        return new Change(shard, sequence, streamedAt, p[1], p[3], null, null, null, null, 0, null, null, null, null, done);
    }

    private static long num(Map<String, String> image, String name) {
        return Long.parseLong(image.getOrDefault(name, "0"));
    }

    /** A profile image's webhook fields (null when there is no image: the old one of an INSERT, the new one of a REMOVE). */
    private static Change.Profile profile(Map<String, String> image) {
        if (image == null || image.isEmpty()) {
            return null;
        }
        String updated = image.get("updatedAt");
        return new Change.Profile(Long.parseLong(image.getOrDefault("seq", "0")), image.get("email"), attributes(image.get("attrs")),
                Boolean.parseBoolean(image.get("marketingConsent")), image.get("tier"),
                updated == null ? null : Instant.parse(updated));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(String json) {
        if (json == null) {
            return Map.of();
        }
        Object plain = dev.laurel.json.Json.plain(dev.laurel.json.Json.read(json));
        return plain instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long balance(Map<String, String> image) {
        if (image == null || image.isEmpty()) {
            return 0;
        }
        return Math.addExact(Long.parseLong(image.getOrDefault("available", "0")), Long.parseLong(image.getOrDefault("pending", "0")));
    }
}
