package dev.laurel.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(N minute[s]|hour[s]|day[s])},
 * {@code cron(minutes hours day-of-month month day-of-week year)} (EventBridge's six fields, with
 * {@code * ? , - /}, month and weekday names, {@code L}, {@code W} and {@code #}), or the
 * Scheduler's one-time {@code at(yyyy-mm-ddThh:mm:ss)}.
 */
public abstract class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("^rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)$");
    private static final Pattern CRON = Pattern.compile("^cron\\((.*)\\)$");
    private static final Pattern AT = Pattern.compile("^at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)$");

    private final String text;

    private ScheduleExpression(String text) {
        this.text = text;
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException when it is not one EventBridge would accept
     */
    public static ScheduleExpression parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        String s = expression.trim();
        Matcher m = RATE.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            if (n <= 0) {
                throw new IllegalArgumentException("a rate must be positive: " + expression);
            }
            ChronoUnit unit = m.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : m.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new Rate(s, Duration.of(n, unit));
        }
        m = CRON.matcher(s);
        if (m.matches()) {
            return new Cron(s, m.group(1).trim(), zone);
        }
        m = AT.matcher(s);
        if (m.matches()) {
            return new At(s, LocalDateTime.parse(m.group(1)).atZone(zone).toInstant());
        }
        throw new IllegalArgumentException("not a schedule expression (rate(...), cron(...) or at(...)): " + expression);
    }

    /**
     * The first time strictly after {@code after} the schedule fires, or null if never again.
     * {@code anchor} is when the schedule was created (rates count from it).
     */
    public abstract Instant next(Instant after, Instant anchor);

    /** The last time at or before {@code atOrBefore} the schedule fired (or should have), or null. */
    public abstract Instant latest(Instant atOrBefore, Instant anchor);

    @Override
    public String toString() {
        return text;
    }

    /** {@code rate(...)}: every period, counted from the schedule's creation. */
    static final class Rate extends ScheduleExpression {
        private final Duration period;

        Rate(String text, Duration period) {
            super(text);
            this.period = period;
        }

        @Override
        public Instant next(Instant after, Instant anchor) {
            if (after.isBefore(anchor)) {
                return anchor.plus(period);
            }
            long periods = Duration.between(anchor, after).toMillis() / period.toMillis();
            return anchor.plus(period.multipliedBy(periods + 1));
        }

        @Override
        public Instant latest(Instant atOrBefore, Instant anchor) {
            if (atOrBefore.isBefore(anchor)) {
                return null;
            }
            long periods = Duration.between(anchor, atOrBefore).toMillis() / period.toMillis();
            return periods == 0 ? null : anchor.plus(period.multipliedBy(periods));
        }
    }

    /** {@code at(...)}: once. */
    static final class At extends ScheduleExpression {
        private final Instant at;

        At(String text, Instant at) {
            super(text);
            this.at = at;
        }

        @Override
        public Instant next(Instant after, Instant anchor) {
            return at.isAfter(after) ? at : null;
        }

        @Override
        public Instant latest(Instant atOrBefore, Instant anchor) {
            return at.isAfter(atOrBefore) ? null : at;
        }
    }

    /** {@code cron(...)} with EventBridge's six fields, evaluated in the schedule's time zone. */
    static final class Cron extends ScheduleExpression {
        private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
        private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
        private static final int MAX_YEAR = 2199;

        private final ZoneId zone;
        private final BitSet minutes;
        private final BitSet hours;
        private final BitSet months;
        private final BitSet years;
        private final String dom;
        private final String dow;
        private final BitSet domSet;
        private final BitSet dowSet;

        Cron(String text, String fields, ZoneId zone) {
            super(text);
            this.zone = zone;
            String[] f = fields.split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("cron needs six fields (minutes hours day-of-month month day-of-week year): " + text);
            }
            minutes = set(f[0], 0, 59, null, text);
            hours = set(f[1], 0, 23, null, text);
            months = set(f[3], 1, 12, MONTHS, text);
            years = set(f[5], 1970, MAX_YEAR, null, text);
            dom = f[2].toUpperCase(Locale.ROOT);
            dow = f[4].toUpperCase(Locale.ROOT);
            if (dom.equals("?") == dow.equals("?")) {
                throw new IllegalArgumentException("cron needs '?' in exactly one of day-of-month and day-of-week: " + text);
            }
            domSet = dom.equals("?") || dom.contains("L") || dom.contains("W") ? null : set(dom, 1, 31, null, text);
            dowSet = dow.equals("?") || dow.contains("L") || dow.contains("#") ? null : set(dow, 1, 7, DAYS, text);
            if (domSet == null && !dom.equals("?") && !dom.matches("L|LW|\\d{1,2}W")) {
                throw new IllegalArgumentException("unsupported day-of-month " + dom + ": " + text);
            }
            if (dowSet == null && !dow.equals("?") && !dow.matches("L|[1-7A-Z]{1,3}L|[1-7A-Z]{1,3}#[1-5]")) {
                throw new IllegalArgumentException("unsupported day-of-week " + dow + ": " + text);
            }
        }

        @Override
        public Instant next(Instant after, Instant anchor) {
            ZonedDateTime start = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = start.toLocalDate();
            LocalTime from = start.toLocalTime();
            while (day.getYear() <= MAX_YEAR) {
                if (years.get(day.getYear()) && months.get(day.getMonthValue()) && dayMatches(day)) {
                    for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
                        int m0 = h == from.getHour() ? from.getMinute() : 0;
                        int m = minutes.nextSetBit(m0);
                        if (m >= 0) {
                            ZonedDateTime t = ZonedDateTime.of(day, LocalTime.of(h, m), zone);
                            if (t.toInstant().isAfter(after)) {
                                return t.toInstant();
                            }
                        }
                    }
                }
                day = day.plusDays(1);
                from = LocalTime.MIDNIGHT;
            }
            return null;
        }

        @Override
        public Instant latest(Instant atOrBefore, Instant anchor) {
            ZonedDateTime end = atOrBefore.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
            LocalDate day = end.toLocalDate();
            LocalTime to = end.toLocalTime();
            while (day.getYear() >= 1970) {
                if (years.get(day.getYear()) && months.get(day.getMonthValue()) && dayMatches(day)) {
                    for (int h = hours.previousSetBit(to.getHour()); h >= 0; h = hours.previousSetBit(h - 1)) {
                        int m = minutes.previousSetBit(h == to.getHour() ? to.getMinute() : 59);
                        if (m >= 0) {
                            Instant t = ZonedDateTime.of(day, LocalTime.of(h, m), zone).toInstant();
                            if (!t.isAfter(atOrBefore)) {
                                return t;
                            }
                        }
                    }
                }
                day = day.minusDays(1);
                to = LocalTime.of(23, 59);
            }
            return null;
        }

        private boolean dayMatches(LocalDate d) {
            if (!dom.equals("?")) {
                if (domSet != null) {
                    return domSet.get(d.getDayOfMonth());
                }
                LocalDate last = d.with(TemporalAdjusters.lastDayOfMonth());
                if (dom.equals("L")) {
                    return d.equals(last);
                }
                LocalDate target = dom.equals("LW") ? last : d.withDayOfMonth(Math.min(Integer.parseInt(dom.substring(0, dom.length() - 1)), last.getDayOfMonth()));
                return d.equals(nearestWeekday(target));
            }
            int awsDow = d.getDayOfWeek().getValue() % 7 + 1; // SUN=1 .. SAT=7
            if (dowSet != null) {
                return dowSet.get(awsDow);
            }
            if (dow.equals("L")) {
                return awsDow == 7;
            }
            if (dow.endsWith("L")) {
                int want = value(dow.substring(0, dow.length() - 1), DAYS, 1);
                return awsDow == want && d.plusWeeks(1).getMonthValue() != d.getMonthValue();
            }
            String[] p = dow.split("#");
            int want = value(p[0], DAYS, 1);
            int nth = Integer.parseInt(p[1]);
            return awsDow == want && (d.getDayOfMonth() - 1) / 7 + 1 == nth;
        }

        private static LocalDate nearestWeekday(LocalDate d) {
            DayOfWeek w = d.getDayOfWeek();
            if (w == DayOfWeek.SATURDAY) {
                LocalDate before = d.minusDays(1);
                return before.getMonthValue() == d.getMonthValue() ? before : d.plusDays(2);
            }
            if (w == DayOfWeek.SUNDAY) {
                LocalDate after = d.plusDays(1);
                return after.getMonthValue() == d.getMonthValue() ? after : d.minusDays(2);
            }
            return d;
        }

        private static BitSet set(String field, int min, int max, String[] names, String text) {
            BitSet out = new BitSet(max + 1);
            for (String part : field.toUpperCase(Locale.ROOT).split(",")) {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(part.substring(slash + 1));
                    range = part.substring(0, slash);
                    if (step <= 0) {
                        throw new IllegalArgumentException("bad step in " + text);
                    }
                }
                int lo;
                int hi;
                if (range.equals("*")) {
                    lo = min;
                    hi = max;
                } else if (range.contains("-")) {
                    String[] r = range.split("-", 2);
                    lo = value(r[0], names, min);
                    hi = value(r[1], names, min);
                } else {
                    lo = value(range, names, min);
                    hi = slash >= 0 ? max : lo;
                }
                if (lo < min || hi > max || lo > hi) {
                    throw new IllegalArgumentException("value out of range " + min + "-" + max + " in " + text);
                }
                for (int v = lo; v <= hi; v += step) {
                    out.set(v);
                }
            }
            return out;
        }

        private static int value(String s, String[] names, int firstNameValue) {
            if (names != null) {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(s)) {
                        return firstNameValue + i;
                    }
                }
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cron value: " + s);
            }
        }
    }
}
