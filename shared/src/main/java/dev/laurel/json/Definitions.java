package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Edits of a stored program definition (the JSON as the admin wrote it, which GET answers). */
public final class Definitions {
    private Definitions() {
    }

    /**
     * A webhook's secret is write-only: a definition that omits it keeps the stored one
     * ({@code stored}, or null) while the channel's url is unchanged. Otherwise the definition is
     * left as sent (a webhook without a secret then answers 400 naming {@code channel.secret}).
     */
    public static String withStoredSecret(String definition, String stored) {
        JsonNode body = Json.read(definition);
        if (stored == null || !omitsSecret(body)) {
            return definition;
        }
        ObjectNode channel = (ObjectNode) body.get("channel");
        JsonNode was = Json.read(stored).path("channel");
        if ("webhook".equals(was.path("type").asText(null)) && was.path("url").equals(channel.get("url"))
                && was.path("secret").isTextual()) {
            channel.set("secret", was.get("secret"));
            return Json.write(body);
        }
        return definition;
    }

    /** Whether a definition's webhook channel omits its secret (which {@link #withStoredSecret} then looks for). */
    public static boolean omitsSecret(String definition) {
        return omitsSecret(Json.read(definition));
    }

    private static boolean omitsSecret(JsonNode body) {
        return body.get("channel") instanceof ObjectNode channel && !channel.has("secret")
                && "webhook".equals(channel.path("type").asText(null)) && channel.path("url").isTextual();
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
