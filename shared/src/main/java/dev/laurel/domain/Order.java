package dev.laurel.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** An order as a shop describes it: total, currency, optional id, lines and shipping. */
public record Order(String orderId, long totalMinor, String currency, long shippingMinor, List<Line> items) {
    public static final int MAX_ITEMS = 500;

    public record Line(String sku, String category, long quantity, long unitPriceMinor) {
    }

    /** The facts conditions may read under {@code order.*}. */
    public Map<String, Object> facts() {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        if (orderId != null) {
            m.put("id", orderId);
        }
        m.put("totalMinor", totalMinor);
        m.put("currency", currency);
        m.put("shippingMinor", shippingMinor);
        long count = 0;
        LinkedHashSet<String> skus = new LinkedHashSet<>();
        LinkedHashSet<String> categories = new LinkedHashSet<>();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Line l : items) {
            count = Arith.add(count, l.quantity());
            skus.add(l.sku());
            if (l.category() != null) {
                categories.add(l.category());
            }
            java.util.HashMap<String, Object> line = new java.util.HashMap<>();
            line.put("sku", l.sku());
            if (l.category() != null) {
                line.put("category", l.category());
            }
            line.put("quantity", l.quantity());
            line.put("unitPriceMinor", l.unitPriceMinor());
            lines.add(line);
        }
        m.put("itemCount", count);
        m.put("skus", List.copyOf(skus));
        m.put("categories", List.copyOf(categories));
        m.put("items", lines);
        return m;
    }
}
