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
        for (int i = 0, n = items.size(); i < n; i++) {
            count = Arith.add(count, items.get(i).quantity());
        }
        m.put("itemCount", count);
        m.put("skus", new Distinct(items, true));
        m.put("categories", new Distinct(items, false));
        m.put("items", new LineFacts(items));
        return m;
    }

    /**
     * {@code order.skus} and {@code order.categories}: the lines' distinct skus (categories), in the
     * order of the lines, made when a condition first reads them; equal to the lists made before.
     */
    private static final class Distinct extends AbstractList<String> implements RandomAccess {
        private final List<Line> items;
        private final boolean skus;
        private List<String> values;

        Distinct(List<Line> items, boolean skus) {
            this.items = items;
            this.skus = skus;
        }

        private List<String> values() {
            if (values == null) {
                LinkedHashSet<String> set = new LinkedHashSet<>();
                for (int i = 0, n = items.size(); i < n; i++) {
                    String v = skus ? items.get(i).sku() : items.get(i).category();
                    if (v != null) {
                        set.add(v);
                    }
                }
                values = List.copyOf(set);
            }
            return values;
        }

        @Override
        public String get(int i) {
            return values().get(i);
        }

        @Override
        public int size() {
            return values().size();
        }

        @Override
        public boolean contains(Object o) {
            return values().contains(o);
        }
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
