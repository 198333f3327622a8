package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Edits of a stored program definition (the JSON as the admin wrote it, which GET answers). */
public final class Definitions {
    private Definitions() {
    }

    /**
     * The definition with the {@code status} of the item {@code itemId} of {@code collection}
     * ({@code earningRules} or {@code rewards}) set; empty when there is no such item.
     */
    public static Optional<String> withStatus(String definition, String collection, String itemId, String status) {
        ObjectNode def = (ObjectNode) Json.read(definition);
        ObjectNode target = null;
        for (JsonNode n : def.path(collection)) {
            if (itemId.equals(n.path("id").asText())) {
                target = (ObjectNode) n;
            }
        }
        if (target == null) {
            return Optional.empty();
        }
        target.put("status", status);
        return Optional.of(Json.write(def));
    }
}
