import { createHmac, timingSafeEqual } from 'node:crypto';

/** Lowercase hex HMAC-SHA256 of `body` keyed by the API secret's UTF-8 bytes, as Stream signs. */
export function hmacHex(body: Uint8Array, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

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
  if (!SIGNATURE_SHAPE.test(signature)) return false;
  const given = Buffer.from(signature, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(body, secret), 'hex');
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched;
}
