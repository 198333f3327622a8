import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";
import { LaurelError } from "./errors.js";
import { newIdempotencyKey, retryingFetch, type RetryOptions } from "./retry.js";

/** The typed client: `laurel.GET("/v1/programs/{programId}", {params: {path: {programId}}})` and so on. */
export type LaurelClient = Client<paths>;

export interface LaurelOptions {
  /** Laurel's URL: `http://127.0.0.1:3000` for `./laurel local`, the stack's `ApiUrl` deployed. */
  baseUrl: string;
  /** An API key (admin or shop) or a member session's token: sent as `Authorization: Bearer`. Omit for none. */
  key?: string;
  retry?: RetryOptions;
  /** The fetch to use underneath the retries (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * A client of Laurel's API: the generated types over openapi-fetch, every request retried on
 * network errors, 429 and 5xx with the same Idempotency-Key. A POST that has no `Idempotency-Key`
 * gets a new one here (before the first attempt), so a retry is never applied twice; the routes that
 * require one in the document (redeem, donations) take it in `params.header`: `newIdempotencyKey()`.
 */
export function createLaurel(options: LaurelOptions): LaurelClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    fetch: retryingFetch(options.retry, options.fetch ?? globalThis.fetch),
    headers: options.key === undefined ? {} : { Authorization: `Bearer ${options.key}` },
  });
  client.use(idempotencyKeys);
  return client;
}

const idempotencyKeys: Middleware = {
  onRequest({ request }) {
    if (request.method === "POST" && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", newIdempotencyKey());
    }
    return request;
  },
};

/**
 * The answer's data, or a thrown {@link LaurelError}: `const wallet = await ok(laurel.GET(...))`.
 * Every failure (Laurel's error shape, API Gateway's 401, a body that is not JSON) is one type.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && error === undefined) {
    return data as T;
  }
  throw LaurelError.from(response, error);
}

/** Shorthands for the document's schemas: `Schema<"Wallet">`. */
export type Schema<N extends keyof components["schemas"]> = components["schemas"][N];
/** The JSON body of an operation's success answer: `Answer<"redeem">`. */
export type Answer<O extends keyof operations> = operations[O] extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? R[S] extends { content: { "application/json": infer B } } ? B : never : never }[keyof R]
  : never;
