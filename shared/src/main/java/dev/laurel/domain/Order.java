package dev.laurel.domain;

import dev.laurel.json.Obj;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** An order as a shop describes it: total, currency, optional id, lines and shipping. */
public record Order(String orderId, long totalMinor, String currency, long shippingMinor, List<Line> items) {
    public static final int MAX_ITEMS = 500;

    public record Line(String sku, String category, long quantity, long unitPriceMinor) {
    }

    /** Reads an order object; problems are recorded against its JSON path. */
    public static Order read(Obj o, String programCurrency) {
        String id = o.id("id", false);
        Long total = o.integer("totalMinor", true, 0, Arith.MAX_MINOR);
        String currency = o.string("currency", true, 3);
        if (currency != null && programCurrency != null && !currency.equals(programCurrency)) {
            o.problems().add(o.path("currency"), "must be the program's currency " + programCurrency);
        }
        Long shipping = o.integer("shippingMinor", false, 0, Arith.MAX_MINOR);
        List<Line> lines = new ArrayList<>();
        List<Obj> items = o.objects("items", false, MAX_ITEMS);
        if (items != null) {
            for (Obj i : items) {
                String sku = i.string("sku", true, 128);
                String category = i.string("category", false, 128);
                Long qty = i.integer("quantity", true, 1, 1_000_000);
                Long price = i.integer("unitPriceMinor", false, 0, Arith.MAX_MINOR);
                i.end();
                lines.add(new Line(sku, category, qty == null ? 0 : qty, price == null ? 0 : price));
            }
        }
        o.end();
        return new Order(id, total == null ? 0 : total, currency, shipping == null ? 0 : shipping, List.copyOf(lines));
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
