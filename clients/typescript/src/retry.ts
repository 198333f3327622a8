import { retryAfterSeconds } from "./errors.js";

/** How a client retries: network errors, 429 and 5xx, each attempt with the request's same Idempotency-Key. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5; 1 turns retries off). */
  maxAttempts?: number;
  /** The first wait in milliseconds, doubled per attempt (default 250). */
  baseDelayMs?: number;
  /** The most one wait lasts without a Retry-After, in milliseconds (default 8,000). */
  maxDelayMs?: number;
  /** The most a Retry-After is honoured, in milliseconds (default 30,000). */
  maxRetryAfterMs?: number;
  /** Called before each wait (logging, metrics). */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error?: unknown; request: Request }) => void;
  /** How to wait (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A new Idempotency-Key: a random UUID (it matches the document's `^[A-Za-z0-9._:@-]{1,128}$`), from the Web
 * Crypto API that Node 20 and browsers share (only the signature verifier needs `node:crypto`).
 */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** Statuses worth another attempt: rate limited, and any 5xx (503 `unavailable` changed nothing). */
export function isRetried(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Full-jitter-ish backoff: a wait between half and all of min(max, base * 2^(attempt-1)). */
export function backoffMs(attempt: number, retryAfter: number | undefined, o: Required<Omit<RetryOptions, "onRetry" | "sleep">>): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(attempt - 1, 20));
  let wait = cap / 2 + Math.random() * (cap / 2);
  if (retryAfter !== undefined) wait = Math.max(wait, Math.min(retryAfter * 1000, o.maxRetryAfterMs));
  return Math.round(wait);
}

/**
 * A fetch that sends `request` again after a network error, a 429 or a 5xx, at most
 * `maxAttempts` times, with jittered exponential backoff that honours `Retry-After`. Every attempt
 * is a clone of the same Request, so it carries the same headers (the same Idempotency-Key) and
 * body: the server applies it at most once. The last answer (or error) is the caller's.
 */
export function retryingFetch(options: RetryOptions = {}, inner: typeof fetch = globalThis.fetch): (request: Request) => Promise<Response> {
  const o = {
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
  };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (request: Request) => {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= o.maxAttempts;
      let response: Response;
      try {
        response = await inner(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal?.aborted) throw error;
        const delayMs = backoffMs(attempt, undefined, o);
        options.onRetry?.({ attempt, delayMs, error, request });
        await sleep(delayMs);
        continue;
      }
      if (last || !isRetried(response.status)) return response;
      const delayMs = backoffMs(attempt, retryAfterSeconds(response.headers.get("Retry-After")), o);
      options.onRetry?.({ attempt, delayMs, status: response.status, request });
      await response.body?.cancel().catch(() => undefined);
      await sleep(delayMs);
    }
  };
}
