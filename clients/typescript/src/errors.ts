import type { components } from "./schema.js";

/** Every machine code of Laurel's one error shape, as the document lists them. */
export type ErrorCode = components["schemas"]["Error"]["error"]["code"];
/** The `details` of an error (`field`, `errors`, `reasons`, ...). */
export type ErrorDetails = components["schemas"]["ErrorDetails"];

/**
 * Any answer that is not a success, as one type: Laurel's `{"error": {code, message, details}}`
 * and API Gateway's own `401 {"message": "Unauthorized"}` (no `Authorization` header) both become a
 * LaurelError whose `code` is one of {@link ErrorCode}, so a caller switches on `code` and nothing else.
 */
export class LaurelError extends Error {
  override readonly name = "LaurelError";

  constructor(
    /** The HTTP status (0 when no answer came: a network error after every retry). */
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails,
    /** The `Retry-After` header in seconds, when the answer had one (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The LaurelError for a failed answer: `body` is what openapi-fetch gives as `error`. */
  static from(response: Response, body: unknown): LaurelError {
    const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
    if (isObject(body) && isObject(body.error) && typeof body.error.code === "string") {
      const e = body.error;
      return new LaurelError(response.status, e.code as ErrorCode, String(e.message ?? ""),
        (isObject(e.details) ? e.details : {}) as ErrorDetails, retryAfter);
    }
    const message = isObject(body) && typeof body.message === "string" ? body.message
      : typeof body === "string" ? body.slice(0, 200) : response.statusText;
    return new LaurelError(response.status, codeOfStatus(response.status), message, {}, retryAfter);
  }
}

/** The code an answer without Laurel's body stands for (API Gateway's own answers). */
function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return "invalid_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    default: return "internal";
  }
}

/** `Retry-After` as seconds (a delay in seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
