import type { Client } from "openapi-fetch";
import type { operations, paths } from "./schema.js";
import { createLaurel, ok, type LaurelOptions } from "./client.js";
import { newIdempotencyKey } from "./retry.js";

type RedeemBody = operations["redeem"]["requestBody"]["content"]["application/json"];

/**
 * A member's own session: a token from `POST .../customers/{customerId}/sessions` (shop key), valid
 * 15 minutes for that one member, and the calls it may make (wallet, ledger, redeem, own codes).
 * The answers' types are the generated ones of each operation (inferred, so they follow the document).
 */
export type MemberSession = Awaited<ReturnType<typeof openMemberSession>>;

/** Opens a session for `customerId` with a shop client and returns the member's side of it. */
export async function openMemberSession(shop: Client<paths>, options: Omit<LaurelOptions, "key">, programId: string,
  customerId: string) {
  const s = await ok(shop.POST("/v1/programs/{programId}/customers/{customerId}/sessions", {
    params: { path: { programId, customerId } },
  }));
  /** A client that sends the member's token (for the routes a session may call: its own codes and their QR too). */
  const client = createLaurel({ ...options, key: s.token });
  const path = { programId, customerId };
  const expiresAt = new Date(s.expiresAt);
  return {
    programId, customerId, token: s.token, expiresAt, client,
    /** The member's wallet (`GET .../customers/{customerId}` with the token). */
    wallet: () => ok(client.GET("/v1/programs/{programId}/customers/{customerId}", { params: { path } })),
    /** A page of the member's ledger, newest first. */
    ledger: (limit?: number, cursor?: string) => ok(client.GET("/v1/programs/{programId}/customers/{customerId}/ledger", {
      params: { path, query: { limit, cursor } },
    })),
    /** Redeems a reward for the member; one Idempotency-Key for every retry of this one call (pass it to retry later). */
    redeem: (body: Omit<RedeemBody, "customerId">, idempotencyKey: string = newIdempotencyKey()) =>
      ok(client.POST("/v1/programs/{programId}/redeem", {
        params: { path: { programId }, header: { "Idempotency-Key": idempotencyKey } },
        body: { ...body, customerId } as RedeemBody,
      })),
    /** True when the token has at most `marginSeconds` left (open a new session then). */
    expiring: (marginSeconds = 60) => expiresAt.getTime() - Date.now() <= marginSeconds * 1000,
  };
}
