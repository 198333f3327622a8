package dev.laurel.domain;

import java.util.AbstractList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

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
        for (int i = 0, n = items.size(); i < n; i++) {
            Line l = items.get(i);
            count = Arith.add(count, l.quantity());
            skus.add(l.sku());
            if (l.category() != null) {
                categories.add(l.category());
            }
        }
        m.put("itemCount", count);
        m.put("skus", List.copyOf(skus));
        m.put("categories", List.copyOf(categories));
        m.put("items", new LineFacts(items));
        return m;
    }

    /**
     * {@code order.items}: each line's facts made when read (a condition can only compare the
     * whole list, so most evaluations never read them), equal to the list of maps made before.
     */
    private static final class LineFacts extends AbstractList<Map<String, Object>> implements RandomAccess {
        private final List<Line> items;

        LineFacts(List<Line> items) {
            this.items = items;
        }

        @Override
        public Map<String, Object> get(int i) {
            Line l = items.get(i);
            java.util.HashMap<String, Object> line = new java.util.HashMap<>();
            line.put("sku", l.sku());
            if (l.category() != null) {
                line.put("category", l.category());
            }
            line.put("quantity", l.quantity());
            line.put("unitPriceMinor", l.unitPriceMinor());
            return line;
        }

        @Override
        public int size() {
            return items.size();
        }
    }
}
