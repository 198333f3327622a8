package dev.laurel.json;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Order;
import java.util.ArrayList;
import java.util.List;

/** Reads an order object strictly (validate, redeem and earn bodies). */
public final class OrderReader {
    private OrderReader() {
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
        List<Order.Line> lines = new ArrayList<>();
        List<Obj> items = o.objects("items", false, Order.MAX_ITEMS);
        if (items != null) {
            for (Obj i : items) {
                String sku = i.string("sku", true, 128);
                String category = i.string("category", false, 128);
                Long qty = i.integer("quantity", true, 1, 1_000_000);
                Long price = i.integer("unitPriceMinor", false, 0, Arith.MAX_MINOR);
                i.end();
                lines.add(new Order.Line(sku, category, qty == null ? 0 : qty, price == null ? 0 : price));
            }
        }
        o.end();
        return new Order(id, total == null ? 0 : total, currency, shipping == null ? 0 : shipping, List.copyOf(lines));
    }

}
