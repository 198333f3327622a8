// The hand-written layer on its own (no Laurel needed): the verifier against headers signed as
// notify/Signature.java signs them, retries with one Idempotency-Key over real HTTP, and the drift
// check (src/schema.ts is what openapi-typescript makes of api/openapi.yaml today).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { createLaurel, LaurelError, ok, signatureHeader, verifySignature } from "../src/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url)); // clients/typescript/

test("the verifier accepts Laurel's header and refuses anything else, bounded", () => {
  const secret = "whsec-0123456789";
  const body = '{"id":"evt-1","type":"points.earned","data":{"points":129,"note":"Köln"}}';
  const t = 1_790_000_000;
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`, "utf8").digest("hex");
  const header = `t=${t},v1=${v1}`;
  assert.equal(signatureHeader(secret, t, body), header);
  const at = { nowSeconds: t };
  assert.ok(verifySignature(secret, header, body, at));
  assert.ok(verifySignature(secret, header, Buffer.from(body, "utf8"), at));
  assert.ok(verifySignature(secret, ` t=${t} , v1=${"0".repeat(64)}, v1=${v1.toUpperCase()}, v2=zzz`, body, at), "rotation, spaces, case");
  assert.ok(verifySignature(secret, header, body, { nowSeconds: t + 300 }));
  assert.ok(!verifySignature(secret, header, body, { nowSeconds: t + 301 }), "outside the tolerance");
  assert.ok(!verifySignature(secret, header, body, { nowSeconds: t - 301 }));
  assert.ok(verifySignature(secret, header, body, { nowSeconds: t + 1000, toleranceSeconds: 1000 }));
  for (const bad of [undefined, null, "", `v1=${v1}`, `t=${t}`, `t=${t},t=${t},v1=${v1}`, `t=-${t},v1=${v1}`, `t=${t}.0,v1=${v1}`,
    `t=${t},v1=${v1.slice(1)}`, `t=${t},v1=${v1}0`, `t=${t},v1=${"g".repeat(64)}`, `t=${t},=x,v1=${v1}`, `t=${t},v1`,
    `t=${t},v1=${v1},${"x=1,".repeat(15)}`, `t=${t},v1=${v1},x=${"a".repeat(4096)}`, `t=1${"0".repeat(19)},v1=${v1}`]) {
    assert.ok(!verifySignature(secret, bad, body, at), `refused: ${String(bad).slice(0, 80)}`);
  }
  assert.ok(!verifySignature(`${secret}!`, header, body, at));
  assert.ok(!verifySignature(secret, header, `${body} `, at));
  assert.throws(() => verifySignature("", header, body, at), RangeError);
  assert.throws(() => verifySignature(secret, header, body, { toleranceSeconds: -1 }), RangeError);
});

test("a 503 with Retry-After, a 429 and a dropped connection are sent again with the same Idempotency-Key", async () => {
  const seen: { key: string | undefined; body: string; at: number }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ key: req.headers["idempotency-key"] as string | undefined, body, at: Date.now() });
      if (seen.length === 1) {
        res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "1" });
        res.end('{"error":{"code":"unavailable","message":"DynamoDB is unreachable","details":{}}}');
      } else if (seen.length === 2) {
        res.writeHead(429, { "Content-Type": "application/json" });
        res.end('{"error":{"code":"rate_limited","message":"slow down","details":{}}}');
      } else if (seen.length === 3) {
        req.socket.destroy(); // no answer at all
      } else {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"status":"rolled_back"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const retries: number[] = [];
    const laurel = createLaurel({ baseUrl, key: "k", retry: { baseDelayMs: 5, onRetry: (i) => retries.push(i.status ?? 0) } });
    const answer = await laurel.POST("/v1/programs/{programId}/redemptions/{redemptionId}/rollback", {
      params: { path: { programId: "p", redemptionId: "r" } },
    });
    assert.equal(answer.response.status, 200);
    assert.deepEqual(retries, [503, 429, 0]);
    assert.equal(seen.length, 4);
    const key = seen[0]?.key;
    assert.match(key ?? "", /^[0-9a-f-]{36}$/);
    assert.ok(seen.every((s) => s.key === key), "one key for every attempt");
    assert.ok((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0) >= 950, "Retry-After: 1 honoured");

    // bounded: a route that keeps failing gives up after maxAttempts and answers the last error as a LaurelError
    seen.length = 0;
    const once = createLaurel({ baseUrl, key: "k", retry: { maxAttempts: 1 } });
    await assert.rejects(ok(once.GET("/v1/programs/{programId}", { params: { path: { programId: "p" } } })),
      (e: unknown) => e instanceof LaurelError && e.status === 503 && e.code === "unavailable" && e.retryAfterSeconds === 1);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.key, undefined, "a GET gets no Idempotency-Key");
  } finally {
    server.close();
  }
});

test("drift: src/schema.ts is what openapi-typescript generates from api/openapi.yaml now", () => {
  const dir = mkdtempSync(join(tmpdir(), "laurel-schema-"));
  try {
    const out = join(dir, "schema.ts");
    const cli = join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js");
    execFileSync(process.execPath, [cli, join(ROOT, "..", "..", "api", "openapi.yaml"), "-o", out, "--default-non-nullable", "false"],
      { cwd: ROOT, stdio: "pipe" });
    const committed = readFileSync(join(ROOT, "src", "schema.ts"), "utf8");
    assert.ok(readFileSync(out, "utf8") === committed,
      "src/schema.ts differs from the document: run `npm run generate` in clients/typescript and commit it");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
