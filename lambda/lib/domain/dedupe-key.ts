import { sha256Hex } from './content-hash.js';

/**
 * What an event is claimed by, on every path: the SHA-256 of its bytes as Stream signed them (the
 * same whichever way a direct SQS or SNS delivery encoded them, and the same for a webhook). Never
 * `X-Webhook-Id`: no header is signed, so whoever replays a signed body can choose its id, and a
 * key taken from it would let them run an event again or have a genuine delivery skipped.
 */
export function dedupeKey(eventBytes: Uint8Array): string {
  return sha256Hex(eventBytes);
}
