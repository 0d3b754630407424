import {
  largeEventKey,
  type LargeEventStore,
} from '../../../lambda/lib/domain/large-event-store.js';

/** A large-event store in memory, for tests to look inside; and one whose storage is down. */
export interface MemoryLargeEventStore extends LargeEventStore {
  /** The stored bodies by key, in the order they were put. */
  readonly objects: Map<string, string>;
}

export function memoryLargeEventStore(bucket = 'large-events-test'): MemoryLargeEventStore {
  const objects = new Map<string, string>();
  return {
    bucket,
    objects,
    put: async (body) => {
      const key = largeEventKey();
      objects.set(key, body);
      return { bucket, key };
    },
    get: async (key) => {
      const body = objects.get(key);
      if (body === undefined) throw Object.assign(new Error(`no ${key}`), { name: 'NoSuchKey' });
      return body;
    },
  };
}

/** Every call fails as an unreachable S3 endpoint does. */
export function unreachableLargeEventStore(bucket = 'large-events-test'): LargeEventStore {
  const fail = async (): Promise<never> => {
    throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
  };
  return { bucket, put: fail, get: fail };
}
