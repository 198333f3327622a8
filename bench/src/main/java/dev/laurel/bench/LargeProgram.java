package dev.laurel.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.util.Random;

/**
 * The rule engine's benchmark program: 50 earning rules and 100 rewards of every kind the API has,
 * with conditions on the customer, the event and the order, and a 50-line order. Generated from a
 * fixed seed, so every run measures the same program.
 */
public final class LargeProgram {
    public static final int RULES = 50;
    public static final int REWARDS = 100;
    public static final int LINES = 50;
    static final String[] CATEGORIES = {"shoes", "shirts", "bags", "books", "toys", "garden", "food", "audio", "games", "tools"};
    static final String[] COUNTRIES = {"DE", "AT", "CH", "FR", "NL"};

    private LargeProgram() {
    }

    public static ObjectNode definition() {
        Random rnd = new Random(5);
        ObjectNode p = Json.object().put("name", "Large").put("currency", "EUR").put("timezone", "Europe/Berlin");
        ArrayNode rules = p.putArray("earningRules");
        for (int i = 0; i < RULES; i++) {
            ObjectNode r = rules.addObject().put("id", "rule-" + i);
            switch (i % 5) {
                case 0 -> r.put("trigger", "order.paid").putObject("points").putObject("perAmount").put("points", 1 + rnd.nextInt(3))
                        .put("amountMinor", 100);
                case 1 -> {
                    r.put("trigger", "order.paid").putObject("points").putObject("perAmount").put("points", 2).put("amountMinor", 500);
                    ObjectNode when = r.putObject("when");
                    when.put("attr", "order.categories").put("op", "contains").put("value", CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
                }
                case 2 -> {
                    r.put("trigger", "order.paid").put("multiplier", 1.5);
                    ArrayNode all = r.putObject("when").putArray("all");
                    all.addObject().put("attr", "customer.attributes.country").put("op", "in").putArray("value")
                            .add(COUNTRIES[rnd.nextInt(COUNTRIES.length)]).add(COUNTRIES[rnd.nextInt(COUNTRIES.length)]);
                    all.addObject().put("attr", "event.dayOfWeek").put("op", "nin").putArray("value").add("SUNDAY");
                    all.addObject().put("attr", "order.totalMinor").put("op", "gte").put("value", 1000 * (1 + rnd.nextInt(20)));
                }
                case 3 -> {
                    r.put("trigger", "order.paid").putObject("points").put("fixed", 10 + rnd.nextInt(90));
                    ObjectNode any = r.putObject("when");
                    ArrayNode a = any.putArray("any");
                    a.addObject().put("attr", "order.itemCount").put("op", "gte").put("value", 10 + rnd.nextInt(60));
                    a.addObject().putObject("not").put("attr", "customer.attributes.segment").put("op", "eq").put("value", "staff");
                    r.putObject("limits").putObject("perCustomer").put("count", 5).put("period", "month");
                }
                default -> r.put("trigger", "review.posted").putObject("points").put("fixed", 25);
            }
        }
        ArrayNode tiers = p.putArray("tiers");
        tiers.addObject().put("id", "bronze").put("threshold", 0);
        tiers.addObject().put("id", "silver").put("threshold", 500).put("earnMultiplier", 1.5);
        tiers.addObject().put("id", "gold").put("threshold", 2000).put("earnMultiplier", 2).put("expiryDays", 730);
        ArrayNode rewards = p.putArray("rewards");
        String[] types = {"discount_amount", "discount_percent", "free_shipping", "gift_card", "product"};
        for (int i = 0; i < REWARDS; i++) {
            String type = types[i % types.length];
            ObjectNode w = rewards.addObject().put("id", "reward-" + i).put("type", type).put("cost", 50 + 25 * rnd.nextInt(40));
            switch (type) {
                case "discount_percent" -> w.put("percent", 5 + rnd.nextInt(20)).put("maxDiscountMinor", 5000);
                case "free_shipping", "product" -> { }
                default -> w.put("valueMinor", 500 + 100 * rnd.nextInt(50));
            }
            if (i % 3 == 0) {
                w.put("minOrderMinor", 1000 * rnd.nextInt(10));
            }
            if (i % 4 == 1) {
                w.putArray("tiers").add("silver").add("gold");
            }
            if (i % 2 == 0) {
                ArrayNode all = w.putObject("when").putArray("all");
                all.addObject().put("attr", "customer.attributes.segment").put("op", "in").putArray("value").add("vip").add("regular");
                all.addObject().put("attr", "order.categories").put("op", "contains").put("value", CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
            }
            w.putObject("limits").put("perCustomer", 3 + rnd.nextInt(5)).put("totalRedemptions", 100_000);
            w.putObject("stacking").put("category", "cat-" + (i % 7));
        }
        p.putObject("expiry").put("afterDays", 365);
        return p;
    }

    /** A validate request body: the customer, a 50-line order, and (qualification) no reward list. */
    public static String validateBody(String customerId) {
        Random rnd = new Random(7);
        ObjectNode b = Json.object().put("customerId", customerId);
        ObjectNode order = b.putObject("order").put("id", "order-large-1");
        ArrayNode items = order.putArray("items");
        long total = 0;
        for (int i = 0; i < LINES; i++) {
            long price = 199 + 100 * rnd.nextInt(100);
            long qty = 1 + rnd.nextInt(3);
            total += price * qty;
            items.addObject().put("sku", "SKU-" + i).put("category", CATEGORIES[rnd.nextInt(CATEGORIES.length)])
                    .put("quantity", qty).put("unitPriceMinor", price);
        }
        order.put("totalMinor", total).put("currency", "EUR").put("shippingMinor", 495);
        return Json.write(b);
    }
}
