import type { Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { createLaurel, ok, type LaurelOptions } from "./client.js";
import { newIdempotencyKey } from "./retry.js";

type Wallet = components["schemas"]["Wallet"];

/**
 * A member's own session: a token from `POST .../customers/{customerId}/sessions` (shop key), valid
 * 15 minutes for that one member, and the calls it may make (wallet, ledger, redeem, own codes).
 */
export interface MemberSession {
  readonly programId: string;
  readonly customerId: string;
  readonly token: string;
  readonly expiresAt: Date;
  /** A client that sends the member's token (for the routes a session may call). */
  readonly client: Client<paths>;
  wallet(): Promise<Wallet>;
  ledger(limit?: number, cursor?: string): Promise<components["schemas"]["LedgerPage"]>;
  /** Redeems a reward for the member; one Idempotency-Key for every retry of this one call. */
  redeem(body: Omit<components["schemas"]["RedeemRequest"], "customerId">, idempotencyKey?: string):
    Promise<components["schemas"]["Redemption"]>;
  /** True when the token has at most `marginSeconds` left (open a new session then). */
  expiring(marginSeconds?: number): boolean;
}

/** Opens a session for `customerId` with a shop client and returns the member's side of it. */
export async function openMemberSession(shop: Client<paths>, options: Omit<LaurelOptions, "key">, programId: string,
  customerId: string): Promise<MemberSession> {
  const s = await ok(shop.POST("/v1/programs/{programId}/customers/{customerId}/sessions", {
    params: { path: { programId, customerId } },
  }));
  const client = createLaurel({ ...options, key: s.token });
  const path = { programId, customerId };
  const expiresAt = new Date(s.expiresAt);
  const session: MemberSession = {
    programId, customerId, token: s.token, expiresAt, client,
    wallet: () => ok(client.GET("/v1/programs/{programId}/customers/{customerId}", { params: { path } })),
    ledger: (limit?: number, cursor?: string) => ok(client.GET("/v1/programs/{programId}/customers/{customerId}/ledger", {
      params: { path, query: { limit, cursor } },
    })),
    redeem: (body, idempotencyKey = newIdempotencyKey()) => ok(client.POST("/v1/programs/{programId}/redeem", {
      params: { path: { programId }, header: { "Idempotency-Key": idempotencyKey } },
      body: { ...body, customerId },
    })),
    expiring: (marginSeconds = 60) => expiresAt.getTime() - Date.now() <= marginSeconds * 1000,
  };
  return session;
}
