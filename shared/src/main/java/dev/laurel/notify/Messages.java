package dev.laurel.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The member-facing texts in one language (API.md: the member's {@code locale}, {@code en de tr ja}): one UTF-8
 * properties file per language, {@code dev/laurel/notify/messages_<language>.properties} in the shared module's
 * resources, read once, the first time that language is rendered (a container that only ever speaks English reads
 * one small file). Keys are stable and named for the message ({@code points_expiring.subject.other}) so that the
 * wallet widget and the consent confirmation can use the same strings; values carry {@code {name}} placeholders.
 *
 * <p>A key that ends in {@code .one} / {@code .other} is chosen by the language's plural rule (CLDR cardinals:
 * English, German and Turkish {@code one} for 1, Japanese always {@code other}). Numbers are grouped and days named
 * with the language's {@link Locale} ({@link NumberFormat}, {@link DateTimeFormatter} with the file's
 * {@code format.date} pattern): {@code 1,234 points}, {@code 1.234 Punkte}, {@code 1.234 puan}, {@code 1,234ポイント}.
 * A key missing in a language is an error, never an English fallback; {@code MessagesTest} checks every key of
 * English in every other language.
 */
public final class Messages {
    /** The languages, the default first (as {@code Customer.LOCALES}). */
    public static final List<String> LANGUAGES = List.of("en", "de", "tr", "ja");
    private static final Map<String, Messages> LOADED = new ConcurrentHashMap<>();

    private final String language;
    private final Locale locale;
    private final Map<String, String> texts;
    private final DateTimeFormatter day;

    private Messages(String language, Map<String, String> texts) {
        this.language = language;
        this.locale = Locale.forLanguageTag(language);
        this.texts = texts;
        this.day = DateTimeFormatter.ofPattern(text("format.date"), locale);
    }

    /** The texts of {@code language}; an unknown or null language is the default's (English). */
    public static Messages of(String language) {
        String l = language != null && LANGUAGES.contains(language) ? language : LANGUAGES.get(0);
        Messages m = LOADED.get(l);
        if (m == null) {
            // no lambda here: the first render of a cold container spins up no lambda classes for it
            m = new Messages(l, read(l));
            Messages first = LOADED.putIfAbsent(l, m);
            m = first != null ? first : m;
        }
        return m;
    }

    /** A language's file as it is: key → text. */
    static Map<String, String> read(String language) {
        String name = "messages_" + language + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " beside " + Messages.class.getName());
            }
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Map<String, String> out = new HashMap<>();
            for (Map.Entry<Object, Object> e : p.entrySet()) {
                out.put((String) e.getKey(), (String) e.getValue());
            }
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    public String language() {
        return language;
    }

    public Locale locale() {
        return locale;
    }

    /** The text of {@code key} with its placeholders filled from {@code values} (name, value pairs). */
    public String text(String key, String... values) {
        String t = texts.get(key);
        if (t == null) {
            throw new IllegalStateException("no text " + key + " in messages_" + language + ".properties");
        }
        return fill(key, t, values);
    }

    /** The {@code .one} or {@code .other} text of {@code key} for {@code count}, filled as {@link #text}. */
    public String plural(String key, long count, String... values) {
        return text(key + "." + category(count), values);
    }

    /** The plural category of a count: {@code one} or {@code other}. */
    public String category(long count) {
        return !language.equals("ja") && count == 1 ? "one" : "other";
    }

    /** A count of points in words: {@code 1,234 points}, {@code 1.234 Punkte}. */
    public String points(long count) {
        return plural("points", count, "count", number(count));
    }

    /** An integer grouped for the language. */
    public String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** A calendar day as the language writes it: {@code 31 January 2027}, {@code 31. Januar 2027}, {@code 2027年1月31日}. */
    public String day(LocalDate d) {
        return day.format(d);
    }

    private String fill(String key, String t, String[] values) {
        StringBuilder b = new StringBuilder(t.length() + 32);
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf('{', i);
            if (open < 0) {
                b.append(t, i, t.length());
                break;
            }
            int close = t.indexOf('}', open);
            if (close < 0) {
                throw new IllegalStateException(key + " (" + language + "): an unclosed placeholder");
            }
            b.append(t, i, open).append(value(key, t.substring(open + 1, close), values));
            i = close + 1;
        }
        return b.toString();
    }

    private String value(String key, String name, String[] values) {
        for (int i = 0; i + 1 < values.length; i += 2) {
            if (values[i].equals(name)) {
                return values[i + 1];
            }
        }
        throw new IllegalStateException(key + " (" + language + "): no value for {" + name + "}");
    }
}
