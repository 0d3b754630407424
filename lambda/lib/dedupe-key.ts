import { sha256Hex } from './content-hash.js';

/**
 * What a consumer group claims an event by: the webhook id when the verifier queued it (the same
 * on every retry of one delivery), else the SHA-256 of the event bytes as Stream signed them (the
 * same whichever way a direct SQS or SNS delivery encoded them).
 */
export function dedupeKey(webhookId: string | null, eventBytes: Uint8Array): string {
  return webhookId !== null && webhookId !== '' ? webhookId : sha256Hex(eventBytes);
}
