package dev.laurel.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON document a webhook POSTs and the outbox records, built in this one place:
 * {@code {"id", "type", "programId", "customerId", "createdAt", "data", "locale", "message"}} where {@code data} is the
 * payload, {@code locale} the member's language and {@code message} the reminder's {@code subject} and {@code text} in
 * it ({@link Templates}: what an email says), for a receiver that passes it on as it is.
 * The customer's email address and the program's name are deliberately left out: the receiver already knows
 * its customers, and an address is personal data it does not need from us.
 */
public final class Envelope {
    private Envelope() {
    }

    /** A fresh document; changing it changes neither the notification nor a later envelope. */
    public static ObjectNode of(Notification n) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", n.id());
        o.put("type", n.type());
        o.put("programId", n.programId());
        o.put("customerId", n.customerId());
        o.put("createdAt", n.createdAt().toString());
        o.set("data", n.payload().deepCopy());
        Templates.Email e = Templates.render(n);
        o.put("locale", e.language());
        o.putObject("message").put("subject", e.subject()).put("text", e.text());
        return o;
    }
}
