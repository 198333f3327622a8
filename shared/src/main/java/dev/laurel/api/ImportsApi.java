package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ImportRevert;
import dev.laurel.app.ImportRows;
import dev.laurel.app.Imports;
import dev.laurel.app.Laurel;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import dev.laurel.store.ImportStore;
import dev.laurel.store.ImportStore.ImportStatus;
import dev.laurel.store.ImportStore.RowError;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imports (admin, API.md Part 2): {@code PUT/GET /v1/programs/{programId}/imports/{importId}} and
 * {@code POST .../imports/{importId}/rows?offset=N} with a {@code text/csv} chunk ({@link ImportCsv}).
 */
public final class ImportsApi {
    private static final Pattern OFFSET = Pattern.compile("[0-9]{1,9}");

    private final Laurel laurel;

    public ImportsApi(Laurel laurel) {
        this.laurel = laurel;
    }

    public Response put(Request req) {
        req.requireAdmin();
        Program program = program(req);
        String importId = req.id("importId");
        Problems problems = new Problems();
        Obj o = Obj.root(req.jsonOrEmpty(), problems);
        Boolean dryRun = o.bool("dryRun", false);
        String mode = o.oneOf("mode", false, Set.of(Imports.ADD, Imports.SET));
        Obj retro = o.has("retroactive") ? o.obj("retroactive", false) : null;
        String ruleId = retro == null ? null : retro.id("ruleId", true);
        if (retro != null) {
            retro.end();
        }
        o.end();
        problems.throwIfAny();
        boolean dry = Boolean.TRUE.equals(dryRun);
        String m = mode == null ? Imports.ADD : mode;
        String fingerprint = "dryRun=" + dry + ";mode=" + m + ";ruleId=" + ruleId;
        var outcome = laurel.imports().create(new Imports.Create(req.tenant(), program, importId, dry, m, ruleId, fingerprint));
        return LoyaltyApi.answer(outcome, c -> Response.json(c.created() ? 201 : 200, view(c.status())));
    }

    public Response get(Request req) {
        req.requireAdmin();
        Program program = program(req);
        String importId = req.id("importId");
        return Response.json(200, view(status(req, program, importId)));
    }

    public Response rows(Request req) {
        req.requireAdmin();
        Program program = program(req);
        String importId = req.id("importId");
        String type = req.header("content-type");
        if (type == null || !ApiGateway.isCsv(type)) {
            throw new Refused(Refusal.Code.UNSUPPORTED_MEDIA_TYPE, "send the rows with Content-Type: text/csv");
        }
        for (String q : req.query().keySet()) {
            if (!q.equals("offset") && !q.equals("final")) {
                throw Refused.invalid(q, "is not a known query parameter (offset, final)");
            }
        }
        String last = req.query().get("final");
        if (last != null && !last.equals("true") && !last.equals("false")) {
            throw Refused.invalid("final", "is true (this chunk ends the file: the import is complete) or false");
        }
        String off = req.query().get("offset");
        if (off == null || !OFFSET.matcher(off).matches()) {
            throw Refused.invalid("offset", "is required: the number of data rows before this chunk in the file (0 for the first)");
        }
        List<Object> rows = ImportCsv.read(req.body(), Long.parseLong(off), program);
        ImportStatus status = status(req, program, importId);
        if (!ImportStore.OPEN.equals(status.status())) {
            throw closed(importId, status.status());
        }
        ImportRows.Result r = laurel.importRows().run(req.tenant(), program, status.def(), rows);
        if (r.closed()) {
            throw closed(importId, ImportStore.REVERTING);
        }
        if ("true".equals(last)) {
            laurel.imports().complete(req.tenant(), program.programId(), importId);
        }
        ObjectNode out = Json.object().put("rows", r.rows()).put("imported", r.imported()).put("skipped", r.skipped())
                .put("failed", r.failed());
        errors(out.putArray("errors"), r.errors());
        return Response.json(200, out);
    }

    /** {@code POST .../imports/{importId}/revert}: 202 while the revert has work left, 200 once reverted. */
    public Response revert(Request req) {
        req.requireAdmin();
        Program program = program(req);
        String importId = req.id("importId");
        if (!req.query().isEmpty()) {
            throw Refused.invalid(req.query().keySet().iterator().next(), "is not a known query parameter (none)");
        }
        Problems problems = new Problems();
        Obj.root(req.jsonOrEmpty(), problems).end(); // no body, or {}: any field is unknown
        problems.throwIfAny();
        ImportStatus s = laurel.importRevert().run(req.tenant(), program, importId)
                .orElseThrow(() -> Refused.notFound("import " + importId));
        return Response.json(ImportStore.REVERTED.equals(s.status()) ? 200 : 202, view(s));
    }

    /** Rows for an import that is reverting or reverted (409, API.md's set: the import was rolled back). */
    private static Refused closed(String importId, String status) {
        return new Refused(Refusal.Code.ALREADY_ROLLED_BACK, "import " + importId + " is " + status + ": it takes no more rows");
    }

    private Program program(Request req) {
        String programId = req.id("programId");
        return laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
    }

    private ImportStatus status(Request req, Program program, String importId) {
        return laurel.imports().status(req.tenant(), program.programId(), importId)
                .orElseThrow(() -> Refused.notFound("import " + importId));
    }

    static ObjectNode view(ImportStatus s) {
        ObjectNode o = Json.object().put("importId", s.def().importId()).put("status", s.status())
                .put("dryRun", s.def().dryRun()).put("mode", s.def().mode());
        if (s.def().ruleId() != null) {
            o.putObject("retroactive").put("ruleId", s.def().ruleId());
        }
        o.put("rows", s.rows()).put("imported", s.imported()).put("failed", s.failed()).put("pointsImported", s.pointsImported());
        errors(o.putArray("errors"), s.errors());
        o.put("createdAt", s.def().createdAt().toString());
        if (s.completedAt() != null) {
            o.put("completedAt", s.completedAt().toString());
        }
        if (s.revert() != null) {
            o.put("pointsReverted", s.revert().pointsReverted());
            if (s.revert().pointsRestored() > 0) {
                o.put("pointsRestored", s.revert().pointsRestored()); // given back for rows that lowered a balance
            }
            if (ImportStore.REVERTED.equals(s.status())) {
                o.put("uncollectedPoints", ImportRevert.uncollected(s)); // known once every member was met
            }
        }
        return o;
    }

    private static void errors(ArrayNode a, List<RowError> errors) {
        for (RowError e : errors) {
            ObjectNode x = a.addObject().put("row", e.row());
            x.put("column", e.column());
            x.put("code", e.code()).put("message", e.message());
        }
    }
}
