package dev.laurel.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One small template per reminder type, in the member's language ({@link Notification#locale}, texts from
 * {@link Messages}): a subject, a plain-text body and an HTML body in which every value is HTML-escaped. A missing or
 * odd payload field never fails a render; the sentence just says less. An unknown type gets a generic message.
 * Names the program gave (its name, {@code rewardName}, {@code tierName}) are shown as they are, ids where it gave none.
 *
 * <p>{@code points_expiring} names the last day the points can be used, like the wallet's {@code expiring[].on}:
 * {@code data.expiresOn} ({@code YYYY-MM-DD}) when the payload has it; otherwise the day of the last moment before
 * {@code data.expiresAt} (the lot's exclusive end, as {@code Expiry.endOfDay} computes it), read in
 * {@code data.timezone} (an IANA zone: the program's) or else in UTC. A payload with neither says "expire soon".
 */
public final class Templates {
    /** An email's parts, and the language they are in. */
    public record Email(String subject, String text, String html, String language) {
    }

    static final int MAX_SUBJECT_CHARS = 200;

    private Templates() {
    }

    public static Email render(Notification n) {
        Messages m = Messages.of(n.locale());
        String program = blank(n.programName()) ? n.programId() : n.programName();
        ObjectNode data = n.payload();
        List<String> paragraphs = new ArrayList<>();
        String subject;
        switch (n.type()) {
            case "points_expiring": {
                Long count = integer(data, "points");
                LocalDate day = expiryDay(data);
                String soon = day == null ? "_soon" : "";
                String[] v = {"points", count == null ? "" : m.points(count), "day", day == null ? "" : m.day(day),
                        "program", program};
                if (count == null) {
                    subject = m.text("points_expiring.subject_some" + soon, v);
                    paragraphs.add(m.text("points_expiring.body_some" + soon, v));
                } else {
                    subject = m.plural("points_expiring.subject" + soon, count, v);
                    paragraphs.add(m.plural("points_expiring.body" + soon, count, v));
                }
                paragraphs.add(m.text("points_expiring.advice"));
                break;
            }
            case "welcome": {
                Long signup = integer(data, "signupPoints");
                subject = m.text("welcome.subject", "program", program);
                paragraphs.add(m.text("welcome.greeting", "program", program));
                if (signup != null && signup > 0) {
                    paragraphs.add(m.text("welcome.signup", "points", m.points(signup)));
                }
                break;
            }
            case "reward_available": {
                String reward = first(text(data, "rewardName"), text(data, "rewardId"));
                Long cost = integer(data, "cost");
                Long available = integer(data, "available");
                String[] v = {"reward", reward == null ? m.text("reward_available.a_reward") : reward, "program", program,
                        "cost", cost == null ? "" : m.points(cost), "available", available == null ? "" : m.points(available)};
                subject = reward == null ? m.text("reward_available.subject_any") : m.text("reward_available.subject", v);
                paragraphs.add(m.text("reward_available.body" + (available == null ? "_balance" : "")
                        + (cost == null ? "_no_cost" : ""), v));
                break;
            }
            case "tier_upgraded": {
                String tier = first(text(data, "tierName"), text(data, "tierId"));
                String previous = text(data, "previousTierId");
                String[] v = {"tier", tier == null ? "" : tier, "previousTier", previous == null ? "" : previous, "program", program};
                subject = tier == null ? m.text("tier_upgraded.subject_any") : m.text("tier_upgraded.subject", v);
                paragraphs.add(m.text(tier == null ? "tier_upgraded.body_any"
                        : previous == null ? "tier_upgraded.body_no_previous" : "tier_upgraded.body", v));
                break;
            }
            case "consent_confirmation": {
                // the one message sent without marketing consent (double opt-in): it carries the token
                String token = text(data, "token");
                String expires = text(data, "expiresAt");
                LocalDate day = null;
                try {
                    day = expires == null ? null : java.time.Instant.parse(expires).atZone(java.time.ZoneOffset.UTC).toLocalDate();
                } catch (java.time.format.DateTimeParseException e) {
                    day = null;
                }
                subject = m.text("consent_confirmation.subject", "program", program);
                paragraphs.add(m.text("consent_confirmation.body", "program", program, "day", day == null ? "" : m.day(day)));
                paragraphs.add(token == null ? "" : token);
                break;
            }
            case "tier_downgrade_warning": {
                String tier = text(data, "tierId");
                String next = text(data, "nextTierId");
                Long keep = integer(data, "pointsToKeep");
                String lastDay = text(data, "lastDay");
                String[] v = {"tier", tier == null ? "" : tier, "nextTier", next == null ? "" : next, "program", program,
                        "points", keep == null ? "" : m.points(keep), "date", lastDay == null ? "" : m.day(java.time.LocalDate.parse(lastDay))};
                subject = m.text("tier_downgrade_warning.subject", v);
                paragraphs.add(m.text("tier_downgrade_warning.body", v));
                break;
            }
            default:
                subject = m.text("news.subject", "program", program);
                paragraphs.add(m.text("news.body", "program", program));
        }
        paragraphs.add(m.text("consent_confirmation".equals(n.type()) ? "footer.confirmation" : "footer.consent",
                "program", program));
        return new Email(subjectLine(subject), String.join("\n\n", paragraphs) + "\n", html(m.language(), subject, paragraphs),
                m.language());
    }

    private static String html(String language, String subject, List<String> paragraphs) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"").append(language)
                .append("\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(subjectLine(subject))).append("</title></head><body>\n");
        for (String p : paragraphs) {
            b.append("<p>").append(escape(p)).append("</p>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** One line: control characters (a value with a line break) become spaces, and it is kept short. */
    private static String subjectLine(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SUBJECT_CHARS));
        for (int i = 0; i < s.length() && b.length() < MAX_SUBJECT_CHARS; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString().strip();
    }

    private static LocalDate expiryDay(ObjectNode data) {
        String on = text(data, "expiresOn");
        if (on != null) {
            try {
                return LocalDate.parse(on);
            } catch (DateTimeException e) {
                // fall through to expiresAt
            }
        }
        String at = text(data, "expiresAt");
        if (at == null) {
            return null;
        }
        try {
            Instant end = Instant.parse(at);
            ZoneId zone = ZoneOffset.UTC;
            String tz = text(data, "timezone");
            if (tz != null) {
                try {
                    zone = ZoneId.of(tz);
                } catch (DateTimeException e) {
                    // not a zone: read the instant in UTC
                }
            }
            // expiresAt is the end of the last valid day (exclusive): the last usable moment is just before it
            return end.minusNanos(1).atZone(zone).toLocalDate();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static Long integer(ObjectNode data, String field) {
        JsonNode v = data.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    private static String text(ObjectNode data, String field) {
        JsonNode v = data.get(field);
        if (v == null || !(v.isTextual() || v.isNumber())) {
            return null;
        }
        String s = v.asText();
        return blank(s) ? null : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
