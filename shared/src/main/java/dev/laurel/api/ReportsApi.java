package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.app.Reports;
import dev.laurel.app.Reports.Summary;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/** The reports routes (admin): {@code GET /v1/programs/{programId}/reports/summary?from=&to=}. */
public final class ReportsApi {
    private static final Set<String> SUMMARY_PARAMETERS = Set.of("from", "to");
    private final Laurel laurel;

    public ReportsApi(Laurel laurel) {
        this.laurel = laurel;
    }

    public Response summary(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
        Range range = range(req.query());
        Outcome<Summary> outcome = laurel.reports().summary(req.tenant(), programId, range.from(), range.to());
        if (outcome instanceof Outcome.Done<Summary> d) {
            return Response.json(200, view(d.value()));
        }
        return Response.error(((Outcome.Declined<Summary>) outcome).refusal());
    }

    /** A report's dates: both given, ISO dates, {@code from <= to}, at most {@link Reports#MAX_DAYS} days. */
    record Range(LocalDate from, LocalDate to) {
    }

    static Range range(Map<String, String> query) {
        for (String q : query.keySet()) {
            if (!SUMMARY_PARAMETERS.contains(q)) {
                throw Refused.invalid(q, "is not a known query parameter (from, to)");
            }
        }
        LocalDate from = date(query, "from");
        LocalDate to = date(query, "to");
        if (to.isBefore(from)) {
            throw Refused.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > Reports.MAX_DAYS) {
            throw Refused.invalid("to", "the range must hold at most " + Reports.MAX_DAYS + " days");
        }
        return new Range(from, to);
    }

    private static LocalDate date(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null) {
            throw Refused.invalid(name, "is required (a date, YYYY-MM-DD, in the program's time zone)");
        }
        try {
            if (v.length() != 10) {
                throw new DateTimeParseException("not YYYY-MM-DD", v, 0);
            }
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw Refused.invalid(name, "must be a date, YYYY-MM-DD");
        }
    }

    static ObjectNode view(Summary s) {
        ObjectNode o = Json.object();
        o.put("from", s.from().toString());
        o.put("to", s.to().toString());
        ObjectNode totals = o.putObject("totals");
        s.totals().forEach(totals::put);
        ArrayNode days = o.putArray("days");
        for (Reports.Day d : s.days()) {
            ObjectNode day = days.addObject();
            day.put("date", d.date().toString());
            d.figures().forEach(day::put);
        }
        ArrayNode rules = o.putArray("rules");
        for (Reports.RuleFigures r : s.rules()) {
            rules.addObject().put("ruleId", r.ruleId()).put("points", r.points()).put("events", r.events());
        }
        ArrayNode rewards = o.putArray("rewards");
        for (Reports.RewardFigures r : s.rewards()) {
            rewards.addObject().put("rewardId", r.rewardId()).put("redemptions", r.redemptions())
                    .put("discountMinor", r.discountMinor()).put("orderMinor", r.orderMinor());
        }
        ArrayNode charities = o.putArray("charities");
        for (Reports.CharityFigures c : s.charities()) {
            charities.addObject().put("charityId", c.charityId()).put("points", c.points()).put("valueMinor", c.valueMinor());
        }
        o.put("outstandingPoints", s.outstandingPoints());
        o.put("asOf", s.asOf().toString());
        return o;
    }
}
