package dev.laurel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.laurel.domain.Arith;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A validate body read in one pass over the parser's tokens, without a tree: the quick way for a
 * body the strict reader ({@link Obj}, {@link OrderReader}) accepts. It accepts only what that
 * reader accepts, and answers the same values; on anything else (a problem, a {@code null}, a
 * duplicate or unknown field, a number past 64 bits) it answers null and decides nothing, so the
 * strict reader reads the body again and reports every problem with its path as before.
 */
public final class ValidateBody {
    /** The request limits of {@link Json#FACTORY}; duplicate keys are found here (a known field twice), so the parser needs no set per object. */
    private static final JsonFactory TOKENS = new JsonFactoryBuilder()
            .streamReadConstraints(Json.FACTORY.streamReadConstraints())
            .build();

    private static final int ITEM_SKU = 1;
    private static final int ITEM_QUANTITY = 4;

    /** What the body says: {@code rewards} null when it names none. */
    public record Read(String customerId, Order order, List<String> rewards) {
    }

    private ValidateBody() {
    }

    /** The body's customer, order and named rewards; null when the strict reader must decide. */
    public static Read read(String body, String programCurrency) {
        if (body == null) {
            return null;
        }
        try (JsonParser p = TOKENS.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String customerId = null;
            Order order = null;
            List<String> rewards = null;
            int seen = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit = switch (name) {
                    case "customerId" -> 1;
                    case "order" -> 2;
                    case "rewards" -> 4;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
                if (bit == 1) {
                    customerId = id(p, v);
                    if (customerId == null) {
                        return null;
                    }
                } else if (bit == 2) {
                    order = v == JsonToken.START_OBJECT ? order(p, programCurrency) : null;
                    if (order == null) {
                        return null;
                    }
                } else {
                    rewards = v == JsonToken.START_ARRAY ? ids(p) : null;
                    if (rewards == null) {
                        return null;
                    }
                }
            }
            if (customerId == null || p.nextToken() != null) {
                return null;
            }
            return new Read(customerId, order, rewards);
        } catch (IOException e) {
            return null; // malformed or past a limit: the strict reader says how
        }
    }

    private static Order order(JsonParser p, String programCurrency) throws IOException {
        String id = null;
        long total = -1;
        String currency = null;
        long shipping = 0;
        List<Order.Line> lines = List.of();
        int seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit = switch (name) {
                case "id" -> 1;
                case "totalMinor" -> 2;
                case "currency" -> 4;
                case "shippingMinor" -> 8;
                case "items" -> 16;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            switch (bit) {
                case 1 -> {
                    id = id(p, v);
                    if (id == null) {
                        return null;
                    }
                }
                case 2 -> {
                    total = integer(p, v, 0, Arith.MAX_MINOR);
                    if (total < 0) {
                        return null;
                    }
                }
                case 4 -> {
                    currency = string(p, v, 3);
                    if (currency == null || (programCurrency != null && !currency.equals(programCurrency))) {
                        return null;
                    }
                }
                case 8 -> {
                    shipping = integer(p, v, 0, Arith.MAX_MINOR);
                    if (shipping < 0) {
                        return null;
                    }
                }
                default -> {
                    lines = v == JsonToken.START_ARRAY ? lines(p) : null;
                    if (lines == null) {
                        return null;
                    }
                }
            }
        }
        if ((seen & 6) != 6) {
            return null; // totalMinor and currency are required
        }
        return new Order(id, total, currency, shipping, lines);
    }

    private static List<Order.Line> lines(JsonParser p) throws IOException {
        List<Order.Line> lines = new ArrayList<>(64);
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (e != JsonToken.START_OBJECT || lines.size() == Order.MAX_ITEMS) {
                return null;
            }
            String sku = null;
            String category = null;
            long quantity = 0;
            long price = 0;
            int seen = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit = switch (name) {
                    case "sku" -> ITEM_SKU;
                    case "category" -> 2;
                    case "quantity" -> ITEM_QUANTITY;
                    case "unitPriceMinor" -> 8;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
                switch (bit) {
                    case ITEM_SKU -> sku = string(p, v, 128);
                    case 2 -> category = string(p, v, 128);
                    case ITEM_QUANTITY -> quantity = integer(p, v, 1, 1_000_000);
                    default -> price = integer(p, v, 0, Arith.MAX_MINOR);
                }
                if (bit == ITEM_SKU && sku == null || bit == 2 && category == null || bit == ITEM_QUANTITY && quantity < 0
                        || bit == 8 && price < 0) {
                    return null;
                }
            }
            if ((seen & (ITEM_SKU | ITEM_QUANTITY)) != (ITEM_SKU | ITEM_QUANTITY)) {
                return null;
            }
            lines.add(new Order.Line(sku, category, quantity, price));
        }
        return List.copyOf(lines);
    }

    /** The named rewards: ids, at most {@link Program#MAX_REWARDS}. */
    private static List<String> ids(JsonParser p) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            String id = ids.size() == Program.MAX_REWARDS ? null : id(p, e);
            if (id == null) {
                return null;
            }
            ids.add(id);
        }
        return ids;
    }

    /** A string of 1 to {@code maxLength} characters, else null ({@link Obj#string}). */
    private static String string(JsonParser p, JsonToken v, int maxLength) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isEmpty() || s.length() > maxLength ? null : s;
    }

    /** A caller id ({@link Obj#id}), else null. */
    private static String id(JsonParser p, JsonToken v) throws IOException {
        String s = string(p, v, 128);
        return s != null && Obj.ID.matcher(s).matches() ? s : null;
    }

    /** An integer of at most 64 bits in [min, max] ({@link Obj#integer}), else -1 (every min here is 0 or more). */
    private static long integer(JsonParser p, JsonToken v, long min, long max) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            return -1;
        }
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            return -1;
        }
        long n = p.getLongValue();
        return n < min || n > max ? -1 : n;
    }
}
