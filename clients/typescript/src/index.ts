/** Laurel's TypeScript SDK: the generated types (src/schema.ts) and a thin hand-written layer. */
export type { components, operations, paths } from "./schema.js";
export { createLaurel, ok, type LaurelClient, type LaurelOptions, type Schema, type Answer } from "./client.js";
export { LaurelError, retryAfterSeconds, type ErrorCode, type ErrorDetails } from "./errors.js";
export { newIdempotencyKey, retryingFetch, backoffMs, isRetried, type RetryOptions } from "./retry.js";
export { verifySignature, signatureHeader, SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS } from "./signature.js";
export { openMemberSession, type MemberSession } from "./session.js";
