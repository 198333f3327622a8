package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Customer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reminders in the member's language: every key of English in every language (and no other), the same
 * placeholders, every reminder type rendered in every language with no English word leaking into de/tr/ja and no
 * raw key or placeholder shown, numbers, days and plurals as each language writes them.
 */
class MessagesTest {
    static final List<String> TYPES = List.of("points_expiring", "welcome", "reward_available", "tier_upgraded", "anything_else");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern KEY = Pattern.compile("[a-z_]+\\.[a-z_.]+");

    @Test
    void theLanguagesAreTheProfilesLocales() {
        assertThat(Messages.LANGUAGES).isEqualTo(Customer.LOCALES);
    }

    @Test
    void everyLanguageHasEveryKeyOfEnglishWithTheSamePlaceholdersAndNoOther() {
        Map<String, String> en = Messages.read("en");
        assertThat(en).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        for (String language : Messages.LANGUAGES) {
            Map<String, String> texts = Messages.read(language);
            for (String key : en.keySet()) {
                String t = texts.get(key);
                if (t == null || t.isBlank()) {
                    problems.add(language + ": " + key + " is missing");
                } else if (!placeholders(t).equals(placeholders(en.get(key)))) {
                    problems.add(language + ": " + key + " has " + placeholders(t) + ", English " + placeholders(en.get(key)));
                }
            }
            for (String key : texts.keySet()) {
                if (!en.containsKey(key)) {
                    problems.add(language + ": " + key + " is not an English key");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The check above can fail: a file without a key is reported, and rendering with it is an error, not English. */
    @Test
    void aMissingKeyIsAnErrorNotAnEnglishFallback() {
        assertThatThrownBy(() -> Messages.of("de").text("points_expiring.no_such_text"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("messages_de.properties");
        assertThatThrownBy(() -> Messages.of("de").text("welcome.subject"))
                .as("a placeholder without its value").hasMessageContaining("{program}");
    }

    @Test
    void everyReminderTypeRendersInEveryLanguageWithoutEnglishOrRawKeys() {
        Set<String> english = englishWords();
        assertThat(english).contains("points", "expire", "welcome", "redeem", "tier", "congratulations", "balance");
        List<String> problems = new ArrayList<>();
        for (String language : Messages.LANGUAGES) {
            for (String type : TYPES) {
                for (ObjectNode payload : payloads()) {
                    Notification n = new Notification(type + ":x", type, "p-1", "Kaffeehaus", "c-1", "ada@example.com",
                            Samples.CREATED, payload, language);
                    Templates.Email e = Templates.render(n);
                    assertThat(e.language()).isEqualTo(language);
                    for (String part : List.of(e.subject(), e.text(), e.html())) {
                        String where = language + " " + type + " " + payload + ": " + part;
                        if (part.contains("{") || part.contains("}") || KEY.matcher(part.replace("ada@example.com", "")).find()
                                || part.contains("null")) {
                            problems.add("raw: " + where);
                        }
                        if (!language.equals("en")) {
                            for (String w : words(part.replaceAll("<[^>]*>", " "))) {
                                if (english.contains(w)) {
                                    problems.add("English '" + w + "' in " + where);
                                }
                            }
                        }
                    }
                    assertThat(e.text()).as(language + " " + type).contains("Kaffeehaus");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void numbersDaysAndPluralsAreWrittenAsEachLanguageWritesThem() {
        LocalDate day = LocalDate.parse("2027-01-31");
        assertThat(Messages.of("en").points(1234)).isEqualTo("1,234 points");
        assertThat(Messages.of("de").points(1234)).isEqualTo("1.234 Punkte");
        assertThat(Messages.of("tr").points(1234)).isEqualTo("1.234 puan");
        assertThat(Messages.of("ja").points(1234)).isEqualTo("1,234ポイント");
        assertThat(Messages.of("en").points(1)).isEqualTo("1 point");
        assertThat(Messages.of("de").points(1)).isEqualTo("1 Punkt");
        assertThat(Messages.of("de").points(1_234_567)).isEqualTo("1.234.567 Punkte");
        assertThat(Messages.of("en").day(day)).isEqualTo("31 January 2027");
        assertThat(Messages.of("de").day(day)).isEqualTo("31. Januar 2027");
        assertThat(Messages.of("tr").day(day)).isEqualTo("31 Ocak 2027");
        assertThat(Messages.of("ja").day(day)).isEqualTo("2027年1月31日");
        assertThat(Messages.of("ja").category(1)).isEqualTo("other");
        assertThat(Messages.of("tr").category(1)).isEqualTo("one");

        Notification one = Samples.pointsExpiring("a@example.com");
        assertThat(Templates.render(one.withLocale("de")).subject()).isEqualTo("40 Punkte verfallen am 31. Januar 2027");
        assertThat(Templates.render(one.withLocale("ja")).subject()).isEqualTo("40ポイントが2027年1月31日に失効します");
        assertThat(Templates.render(one.withLocale("tr")).subject()).isEqualTo("40 puan 31 Ocak 2027 tarihinde sona eriyor");
        ObjectNode single = Samples.object().put("points", 1).put("expiresOn", "2027-01-31");
        Notification n = new Notification("points_expiring:2027-01-31", "points_expiring", "acme", "Acme", "c-1", null,
                Samples.CREATED, single, "de");
        assertThat(Templates.render(n).subject()).isEqualTo("1 Punkt verfällt am 31. Januar 2027");
        assertThat(Templates.render(n.withLocale("en")).subject()).isEqualTo("1 point expires on 31 January 2027");
        assertThat(Templates.render(n.withLocale("de")).html()).startsWith("<!DOCTYPE html>\n<html lang=\"de\">");
    }

    /** The file is read as UTF-8: Turkish keeps its dotted capital İ (U+0130), not İ read as Latin-1 or a dotless I. */
    @Test
    void turkishKeepsItsDottedCapitalI() {
        Notification n = Samples.rewardAvailable().withLocale("tr");
        String subject = Templates.render(n).subject();
        assertThat(subject).isEqualTo("İyi haber: artık ten-off ödülünü alabilirsiniz");
        assertThat(subject.charAt(0)).isEqualTo('\u0130');
        assertThat(subject).doesNotContain("Ä");
        assertThat(subject.substring(0, 3).toLowerCase(Locale.forLanguageTag("tr"))).isEqualTo("iyi");
        assertThat(Messages.of("tr").locale().getLanguage()).isEqualTo("tr");
    }

    @Test
    void anUnknownOrMissingLocaleIsEnglish() {
        assertThat(Messages.of(null).language()).isEqualTo("en");
        assertThat(Messages.of("fr").language()).isEqualTo("en");
        assertThat(Samples.welcome().locale()).isEqualTo("en");
        assertThat(Samples.welcome().withLocale("xx").locale()).isEqualTo("en");
    }

    private static List<ObjectNode> payloads() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(Samples.object().put("points", 1234).put("expiresOn", "2027-01-31").put("signupPoints", 25)
                .put("rewardId", "r-7").put("cost", 100).put("available", 120).put("tierId", "t2").put("previousTierId", "t1"));
        out.add(Samples.object().put("points", 1).put("expiresAt", "2027-02-01T08:00:00Z").put("timezone", "Asia/Tokyo")
                .put("signupPoints", 1).put("rewardId", "r-7").put("available", 1).put("tierId", "t2"));
        out.add(Samples.object().put("cost", 5).put("rewardName", "Kaffeetasse").put("tierName", "Stufe 2"));
        out.add(Samples.object());
        return out;
    }

    private static Set<String> placeholders(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The English texts' words of three letters or more, lower-cased (placeholders and the date pattern left out). */
    private static Set<String> englishWords() {
        Set<String> out = new TreeSet<>();
        Messages.read("en").forEach((k, v) -> {
            if (!k.startsWith("format.")) {
                out.addAll(words(PLACEHOLDER.matcher(v).replaceAll(" ")));
            }
        });
        out.removeIf(w -> w.length() < 3);
        return out;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
