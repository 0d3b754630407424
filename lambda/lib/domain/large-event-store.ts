import { randomUUID } from 'node:crypto';
import { UndecodableMessage } from './errors.js';
import type { LargeEventPointer } from './large-event-pointer.js';

/**
 * Where a queue body too large for SQS is kept, behind one interface: S3 when deployed
 * (s3-large-event-store.ts), a directory under `npm run dev` (dev/file-large-event-store.ts).
 * What is stored is the queue body itself (Stream's SQS format), so a resolved pointer decodes
 * exactly like a message that carried its event.
 */
export interface LargeEventStore {
  /** The one bucket this store writes and reads; pointers to any other are refused. */
  readonly bucket: string;
  /** Stores `body`; resolves only once it is durably stored. */
  put(body: string): Promise<LargeEventPointer>;
  /** The body stored under `key` of `bucket`. */
  get(key: string): Promise<string>;
}

/** Objects live under this prefix: the only one the functions' IAM grants cover. */
export const LARGE_EVENT_PREFIX = 'events/';

const KEY_SHAPE = /^events\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** `events/<yyyy>/<mm>/<dd>/<uuid>`: dated (UTC) so a person can find a day's objects. */
export function largeEventKey(now: Date = new Date(), id: string = randomUUID()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${LARGE_EVENT_PREFIX}${day}/${id}`;
}

/**
 * The body a pointer names, read through `store`. A pointer the store cannot vouch for (no store
 * configured, another bucket, a key not of our shape) is refused as undecodable: retrying will
 * not change it, so it ends in the DLQ. A storage error is thrown as it is, and the record retried.
 */
export async function fetchPointedBody(
  pointer: LargeEventPointer,
  store: LargeEventStore | null,
): Promise<string> {
  if (store === null) {
    throw new UndecodableMessage('large-event pointer, but no large-event store is configured');
  }
  if (pointer.bucket !== store.bucket) {
    throw new UndecodableMessage(`large-event pointer to a foreign bucket "${pointer.bucket}"`);
  }
  if (!KEY_SHAPE.test(pointer.key)) {
    throw new UndecodableMessage('large-event pointer key is not one this pipeline writes');
  }
  return store.get(pointer.key);
}
