import { createHmac, timingSafeEqual } from 'node:crypto';

/** Lowercase hex HMAC-SHA256 of `body` keyed by the API secret's UTF-8 bytes, as Stream signs. */
export function hmacHex(body: Uint8Array, secret: string): string {
  return hmacOf(body, secret).toString('hex');
}

/** The raw HMAC: the verifier compares bytes, so it skips the hex string and its decoding. */
function hmacOf(body: Uint8Array, secret: string): Buffer {
  // A string key is taken as UTF-8, as Stream keys it.
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * True when `signature` is the HMAC of `body` under any of `secrets`. Every secret is tried (no
 * early exit) and each comparison is constant-time, so timing tells an attacker nothing about
 * which secret or how many bytes matched. Stream sends lowercase hex; anything else fails.
 */
export function signatureMatches(
  body: Uint8Array,
  signature: string,
  secrets: readonly string[],
): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  const given = Buffer.from(signature, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = hmacOf(body, secret);
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched;
}
