import { sha256Hex } from './content-hash.js';
import { dedupeKey } from './dedupe-key.js';
import type { StreamEvent } from './stream-event.js';

/** `value` when SQS takes it as a FIFO id, else its SHA-256 hex (64 characters SQS always takes). */
export function fifoSafeId(value: string): string {
  // What SQS takes as a MessageGroupId or MessageDeduplicationId: 1-128 characters, each a
  // letter, a digit or ASCII punctuation (printable ASCII without the space).
  return /^[\x21-\x7e]{1,128}$/.test(value) ? value : sha256Hex(value);
}

/** The entity whose events must stay in order: a chat channel, a video call, a feed. */
const ENTITY_FIELDS = ['cid', 'call_cid', 'fid'] as const;

/**
 * The FIFO message group of an event: its channel (`cid`), call (`call_cid`) or feed (`fid`),
 * else its type, so events of one entity are handled in order and entities never wait on each other.
 */
export function messageGroupIdOf(event: StreamEvent): string {
  for (const field of ENTITY_FIELDS) {
    const value = event[field];
    if (typeof value === 'string' && value !== '') return fifoSafeId(value);
  }
  return fifoSafeId(event.type);
}

/**
 * The FIFO deduplication id: the content key (`dedupeKey`), so SQS itself drops a retry or a
 * replay of the same signed bytes within its 5-minute window, whatever webhook id came with it.
 */
export function deduplicationIdOf(eventBytes: Uint8Array): string {
  return dedupeKey(eventBytes);
}
