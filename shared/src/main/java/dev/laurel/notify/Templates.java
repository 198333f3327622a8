package dev.laurel.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One small English template per reminder type: a subject, a plain-text body and an HTML body in which every value
 * is HTML-escaped. A missing or odd payload field never fails a render; the sentence just says less. An unknown type
 * gets a generic message.
 *
 * <p>{@code points_expiring} names the last day the points can be used, like the wallet's {@code expiring[].on}:
 * {@code data.expiresOn} ({@code YYYY-MM-DD}) when the payload has it; otherwise the day of the last moment before
 * {@code data.expiresAt} (the lot's exclusive end, as {@code Expiry.endOfDay} computes it), read in
 * {@code data.timezone} (an IANA zone: the program's) or else in UTC. A payload with neither says "expire soon".
 */
public final class Templates {
    /** An email's parts. */
    public record Email(String subject, String text, String html) {
    }

    static final int MAX_SUBJECT_CHARS = 200;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private Templates() {
    }

    public static Email render(Notification n) {
        String program = blank(n.programName()) ? n.programId() : n.programName();
        ObjectNode data = n.payload();
        List<String> paragraphs = new ArrayList<>();
        String subject;
        switch (n.type()) {
            case "points_expiring": {
                Long count = integer(data, "points");
                String points = points(count);
                String day = expiryDay(data);
                String when = (count != null && count == 1 ? " expires" : " expire") + (day == null ? " soon" : " on " + day);
                subject = (points == null ? "Your points" : points) + when;
                paragraphs.add((points == null ? "Some of your points" : points) + " in " + program + when + ".");
                paragraphs.add("Use them before then so they do not go to waste.");
                break;
            }
            case "welcome": {
                Long signup = integer(data, "signupPoints");
                subject = "Welcome to " + program;
                paragraphs.add("Welcome to " + program + "!");
                if (signup != null && signup > 0) {
                    paragraphs.add("You earned " + points(signup) + " for joining.");
                }
                break;
            }
            case "reward_available": {
                String reward = text(data, "rewardId");
                String cost = points(integer(data, "cost"));
                String available = points(integer(data, "available"));
                String name = reward == null ? "a reward" : reward;
                subject = "You can now redeem " + name;
                StringBuilder p = new StringBuilder();
                if (available != null) {
                    p.append("You have ").append(available).append(" in ").append(program).append(", enough for ");
                } else {
                    p.append("Your ").append(program).append(" balance is now enough for ");
                }
                p.append(name).append(cost == null ? "." : " (" + cost + ").");
                paragraphs.add(p.toString());
                break;
            }
            case "tier_upgraded": {
                String tier = text(data, "tierId");
                String previous = text(data, "previousTierId");
                subject = tier == null ? "You reached a new tier" : "You reached the " + tier + " tier";
                paragraphs.add("Congratulations: you moved up "
                        + (previous == null ? "" : "from " + previous + " ")
                        + (tier == null ? "to a new tier" : "to " + tier) + " in " + program + ".");
                break;
            }
            default:
                subject = "News from " + program;
                paragraphs.add("There is news about your " + program + " membership.");
        }
        paragraphs.add("You receive this message because you agreed to hear from " + program + ".");
        return new Email(subjectLine(subject), String.join("\n\n", paragraphs) + "\n", html(subject, paragraphs));
    }

    private static String html(String subject, List<String> paragraphs) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
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

    private static String expiryDay(ObjectNode data) {
        String on = text(data, "expiresOn");
        if (on != null) {
            try {
                return DAY.format(LocalDate.parse(on));
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
            return DAY.format(end.minusNanos(1).atZone(zone).toLocalDate());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String points(Long n) {
        if (n == null) {
            return null;
        }
        return String.format(Locale.ENGLISH, "%,d", n) + (n == 1 ? " point" : " points");
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
