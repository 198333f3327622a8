package dev.laurel.api;

import dev.laurel.app.Validate;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.json.ValidateBody;
import java.util.ArrayList;
import java.util.List;

/**
 * Validate's body as its query: read in one pass ({@link ValidateBody}) when that reader accepts it,
 * else by the strict reader ({@link Readers#validate}), which reports every problem with its path.
 * Both answer the same query for every body the one pass accepts (ValidateQueryTest).
 */
final class ValidateQuery {
    private ValidateQuery() {
    }

    static Validate.Query of(Request req, Program program) {
        ValidateBody.Read body = ValidateBody.read(req.body(), program.currency());
        if (body != null) {
            List<Reward> rewards = body.rewards() == null ? null : named(program, body.rewards());
            if (body.rewards() == null || rewards != null) {
                return new Validate.Query(req.tenant(), program, body.customerId(), body.order(), rewards);
            }
        }
        return Readers.validate(req, program);
    }

    /** The rewards the ids name, in their order; null when one names none (the strict reader says which). */
    private static List<Reward> named(Program program, List<String> ids) {
        List<Reward> rewards = new ArrayList<>(ids.size());
        for (String id : ids) {
            Reward r = program.reward(id).orElse(null);
            if (r == null) {
                return null;
            }
            rewards.add(r);
        }
        return rewards;
    }
}
