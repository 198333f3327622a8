// docs/walkthrough.sh's steps through the SDK against a real Laurel (LAUREL_URL, default the
// `./laurel local` one), a lost answer retried with the same Idempotency-Key, member sessions, the
// one error type, and a real webhook delivery checked by the SDK's Laurel-Signature verifier.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import {
  createLaurel, LaurelError, newIdempotencyKey, ok, openMemberSession, SIGNATURE_HEADER, verifySignature,
  type Schema,
} from "../src/index.js";

const baseUrl = process.env.LAUREL_URL ?? "http://127.0.0.1:3000";
const admin = createLaurel({ baseUrl, key: process.env.LAUREL_ADMIN_KEY ?? "local-admin-key" });
const shop = createLaurel({ baseUrl, key: process.env.LAUREL_SHOP_KEY ?? "local-shop-key" });
const run = Math.random().toString(36).slice(2, 10);
const P = `sdk-${run}`;
const C = "ada";
const SECRET = `whsec-sdk-${run}`;

interface Delivery { header: string | undefined; body: Buffer; }
const deliveries: Delivery[] = [];
const receiver = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    deliveries.push({ header: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, body });
    // the receiver a shop writes: the raw body, the header, the secret
    res.statusCode = verifySignature(SECRET, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, body) ? 200 : 400;
    res.end();
  });
});

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
after(() => {
  receiver.close();
});

const program: Schema<"ProgramDefinition"> = {
  name: "Walkthrough Rewards", currency: "EUR", timezone: "Europe/Berlin",
  earningRules: [
    { id: "purchase", trigger: "order.paid", points: { perAmount: { points: 1, amountMinor: 100 } } },
    { id: "welcome", trigger: "customer.joined", points: { fixed: 25 } },
  ],
  rewards: [{ id: "ten-off", type: "discount_amount", valueMinor: 1000, cost: 100, minOrderMinor: 2000,
    limits: { perCustomer: 5, totalRedemptions: 500 } }],
  expiry: { afterDays: 365 },
};

test("the walkthrough, a member session and a signed webhook, through the SDK", async () => {
  const port = (receiver.address() as AddressInfo).port;
  const programId = P;
  // 0. a webhook for this program's events, to a receiver on a local port
  const hook = await ok(admin.PUT("/v1/webhooks/{webhookId}", {
    params: { path: { webhookId: P } },
    body: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET, events: ["customer.joined", "points.earned"], programs: [P] },
  }));
  assert.equal(hook.url, `http://127.0.0.1:${port}/hook`);

  // 1. the program
  const put = await admin.PUT("/v1/programs/{programId}", { params: { path: { programId } }, body: program });
  assert.equal(put.response.status, 201);
  assert.equal(put.data?.programId, P);

  // 2. the customer
  const joined = await shop.PUT("/v1/programs/{programId}/customers/{customerId}", {
    params: { path: { programId, customerId: C } },
    body: { email: "ada@example.com", attributes: { country: "DE" }, consent: { marketing: true } },
  });
  assert.equal(joined.response.status, 201);

  // 3. an order of 129.99 EUR: 129 points
  const order = `order-${run}`;
  const earned = await ok(shop.POST("/v1/programs/{programId}/earn", {
    params: { path: { programId } },
    body: { customerId: C, event: { type: "order.paid", id: order, order: { totalMinor: 12999, currency: "EUR" } } },
  }));
  assert.equal(earned.pointsEarned, 129);

  // 4. what may be redeemed on a 50 EUR basket
  const valid = await ok(shop.POST("/v1/programs/{programId}/validate", {
    params: { path: { programId } },
    body: { customerId: C, order: { totalMinor: 5000, currency: "EUR" }, rewards: ["ten-off"] },
  }));
  assert.equal(valid.valid, true);

  // 5. redeem, with the first answer lost on the way back: the SDK sends it again with the same key
  const keys: string[] = [];
  let lose = 1;
  const lossy = createLaurel({
    baseUrl, key: process.env.LAUREL_SHOP_KEY ?? "local-shop-key", retry: { baseDelayMs: 10 },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      keys.push(request.headers.get("Idempotency-Key") ?? "");
      const response = await fetch(request);
      if (lose-- > 0) {
        await response.body?.cancel();
        throw new TypeError("fetch failed (the answer was lost)");
      }
      return response;
    },
  });
  const key = newIdempotencyKey();
  const redemption = await ok(lossy.POST("/v1/programs/{programId}/redeem", {
    params: { path: { programId }, header: { "Idempotency-Key": key } },
    body: { customerId: C, rewardId: "ten-off", order: { id: `basket-${order}`, totalMinor: 5000, currency: "EUR" } },
  }));
  assert.deepEqual(keys, [key, key], "both attempts carry the same Idempotency-Key");
  assert.equal(redemption.pointsSpent, 100);
  assert.equal(redemption.balance.available, 54, "the retried redemption was applied once");

  // 6. the basket is abandoned: roll back (the SDK gives the POST a key of its own)
  const rolledBack = await ok(shop.POST("/v1/programs/{programId}/redemptions/{redemptionId}/rollback", {
    params: { path: { programId, redemptionId: redemption.redemptionId } },
  }));
  assert.equal(rolledBack.status, "rolled_back");

  // 7. the wallet and the ledger
  const wallet = await ok(shop.GET("/v1/programs/{programId}/customers/{customerId}", { params: { path: { programId, customerId: C } } }));
  assert.deepEqual(wallet.balance, { available: 154, pending: 0, lifetimeEarned: 154, owed: 0 });
  const ledger = await ok(shop.GET("/v1/programs/{programId}/customers/{customerId}/ledger", {
    params: { path: { programId, customerId: C }, query: { limit: 10 } },
  }));
  assert.deepEqual(ledger.entries.map((e) => e.type), ["rollback", "redeem", "earn", "earn"]);

  // the member's own session: wallet, ledger, redeem; nothing else
  const session = await openMemberSession(shop, { baseUrl }, programId, C);
  assert.ok(!session.expiring());
  assert.deepEqual((await session.wallet()).balance, wallet.balance);
  assert.equal((await session.ledger(2)).entries.length, 2);
  const own = await session.redeem({ rewardId: "ten-off", order: { id: `app-${order}`, totalMinor: 3000, currency: "EUR" } });
  assert.equal(own.balance.available, 54);
  const code = await ok(session.client.GET("/v1/programs/{programId}/codes/{code}", { params: { path: { programId, code: own.code } } }));
  assert.equal(code.status, "issued");
  await assert.rejects(ok(session.client.GET("/v1/programs/{programId}", { params: { path: { programId } } })),
    (e: unknown) => e instanceof LaurelError && e.status === 403 && e.code === "forbidden");
  await assert.rejects(ok(session.client.GET("/v1/programs/{programId}/customers/{customerId}", {
    params: { path: { programId, customerId: "someone-else" } },
  })), (e: unknown) => e instanceof LaurelError && e.code === "not_found");

  // one error type: Laurel's shape and API Gateway's 401 alike
  await assert.rejects(session.redeem({ rewardId: "ten-off", order: { id: `app2-${order}`, totalMinor: 3000, currency: "EUR" } }),
    (e: unknown) => e instanceof LaurelError && e.status === 409 && e.code === "insufficient_points");
  await assert.rejects(ok(createLaurel({ baseUrl }).GET("/v1/programs/{programId}", { params: { path: { programId } } })),
    (e: unknown) => e instanceof LaurelError && e.status === 401 && e.code === "unauthorized" && e.message === "Unauthorized");
  await assert.rejects(ok(createLaurel({ baseUrl, key: "no-such-key" }).GET("/v1/programs/{programId}", { params: { path: { programId } } })),
    (e: unknown) => e instanceof LaurelError && e.status === 401 && e.code === "unauthorized");
  await assert.rejects(ok(shop.PUT("/v1/programs/{programId}", { params: { path: { programId } }, body: program })),
    (e: unknown) => e instanceof LaurelError && e.code === "forbidden");

  // the webhook: committed changes are delivered, signed; the SDK's verifier accepts them and nothing else
  const drained = await admin.POST("/local/streams/drain", {});
  assert.equal(drained.response.status, 200);
  for (let i = 0; i < 100 && deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  const types = deliveries.map((d) => (JSON.parse(d.body.toString("utf8")) as Schema<"WebhookEvent">).type);
  assert.ok(types.includes("customer.joined") && types.includes("points.earned"), `deliveries: ${types.join(", ")}`);
  for (const d of deliveries) {
    assert.ok(verifySignature(SECRET, d.header, d.body), `a real delivery verifies: ${d.header}`);
    assert.ok(verifySignature(SECRET, d.header, d.body.toString("utf8")), "as text too");
    assert.ok(!verifySignature(`${SECRET}x`, d.header, d.body), "another secret does not");
    assert.ok(!verifySignature(SECRET, d.header, Buffer.concat([d.body, Buffer.from(" ")])), "another body does not");
    assert.ok(!verifySignature(SECRET, d.header, d.body, { nowSeconds: Math.floor(Date.now() / 1000) + 301 }), "too late does not");
  }
  const failed = await ok(admin.GET("/v1/webhooks/{webhookId}/deliveries", { params: { path: { webhookId: P }, query: { status: "failed" } } }));
  assert.equal(failed.deliveries.length, 0, "the receiver accepted every delivery");
  await ok(admin.DELETE("/v1/webhooks/{webhookId}", { params: { path: { webhookId: P } } }));
});
