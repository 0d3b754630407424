import { DeliveryRejected } from './errors.js';
import type { StreamEvent } from './stream-event.js';

/**
 * RFC 3339 with an explicit offset, as Stream writes `created_at` (Go's nanoseconds included). A
 * time without an offset would be read in the function's own time zone, so it counts as none.
 */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** When Stream says it created the event: its top-level `created_at`, or null when unreadable. */
export function createdAtOf(event: StreamEvent): Date | null {
  const createdAt = event.created_at;
  if (typeof createdAt !== 'string' || !RFC_3339.test(createdAt)) return null;
  const ms = Date.parse(createdAt);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Refuses (400 `event_too_old`) an event created more than `maxAgeSeconds` before `now`, the
 * time the request arrived. Stream gives up on a delivery after 15 s, so an older signed body is
 * a replay: after the dedupe window its claim is gone, and only its age tells it apart. An event
 * without a readable `created_at` passes, and so does one dated in the future (clock skew); null
 * checks nothing. Only the webhook's ingress calls this: a message already on a queue (redriven,
 * or sent again by us) is never refused for its age.
 */
export function rejectIfTooOld(event: StreamEvent, now: Date, maxAgeSeconds: number | null): void {
  if (maxAgeSeconds === null) return;
  const createdAt = createdAtOf(event);
  if (createdAt === null) return;
  const ageMs = now.getTime() - createdAt.getTime();
  if (ageMs <= maxAgeSeconds * 1000) return;
  throw new DeliveryRejected(
    400,
    'event_too_old',
    `event created_at ${createdAt.toISOString()} is ${ageMs / 1000} s old, over maxEventAge (${maxAgeSeconds} s)`,
  );
}
