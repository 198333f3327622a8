import { createHmac, timingSafeEqual } from "node:crypto";

/** The header a webhook delivery (and a reminder through a webhook channel) is signed in. */
export const SIGNATURE_HEADER = "Laurel-Signature";
/** A receiver's usual tolerance for the timestamp: five minutes either way. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
const MAX_HEADER_CHARS = 4096;
const MAX_PARTS = 16;

/**
 * The `Laurel-Signature` header for `body` (`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`),
 * as Laurel sends it (notify/Signature.java). For tests of a receiver.
 */
export function signatureHeader(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  return `t=${timestampSeconds},v1=${mac(secret, timestampSeconds, body).toString("hex")}`;
}

/**
 * True when `header` is well-formed (comma-separated `key=value` items, at most 16 and 4,096
 * characters; exactly one `t` of decimal seconds; at least one `v1` of 64 hex digits; other keys
 * ignored), one `v1` equals HMAC-SHA256 of `t + "." + body` under `secret` (every candidate compared
 * in constant time), and `|now - t| <= toleranceSeconds`. Never throws for a bad header.
 * Pass the body exactly as received (the raw bytes or their UTF-8 text), not re-serialized JSON.
 */
export function verifySignature(secret: string, header: string | null | undefined, body: string | Uint8Array,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {}): boolean {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new RangeError(`toleranceSeconds must not be negative: ${tolerance}`);
  if (secret.length === 0) throw new RangeError("secret must not be empty");
  if (typeof header !== "string" || header.length === 0 || header.length > MAX_HEADER_CHARS) return false;
  const parts = header.split(",");
  if (parts.length > MAX_PARTS) return false;
  let t: number | undefined;
  const candidates: Buffer[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    const eq = part.indexOf("=");
    if (eq <= 0) return false;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === "t") {
      if (t !== undefined || !/^\d{1,15}$/.test(value)) return false; // 15 digits stay exact in a double
      t = Number(value);
    } else if (key === "v1") {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return false;
      candidates.push(Buffer.from(value, "hex"));
    }
  }
  if (t === undefined || candidates.length === 0) return false;
  const expected = mac(secret, t, body);
  let match = false;
  for (const candidate of candidates) {
    match = timingSafeEqual(expected, candidate) || match; // no early exit
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  return match && Math.abs(now - t) <= tolerance;
}

function mac(secret: string, t: number, body: string | Uint8Array): Buffer {
  if (secret.length === 0) throw new RangeError("secret must not be empty");
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(`${t}.`, "utf8")
    .update(typeof body === "string" ? Buffer.from(body, "utf8") : body).digest();
}
