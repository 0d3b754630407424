import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { largeEventKey, type LargeEventStore } from '../lambda/lib/domain/large-event-store.js';

/** The bucket name dev's pointers carry; the consumers refuse any other, as deployed. */
export const LOCAL_LARGE_EVENT_BUCKET = 'local-large-events';

export interface FileLargeEventStore extends LargeEventStore {
  /** The directory the objects are in. */
  readonly directory: string;
  /** Removes the directory and everything in it. */
  close(): Promise<void>;
}

/**
 * The S3 large-event store's stand-in for `npm run dev`: one file per object, under the same
 * keys, in a fresh temporary directory that `close()` removes. Keys reach it only after the
 * consumer checked their shape (large-event-store.ts), so none can climb out of the directory.
 */
export async function startFileLargeEventStore(
  bucket = LOCAL_LARGE_EVENT_BUCKET,
): Promise<FileLargeEventStore> {
  const directory = await mkdtemp(join(tmpdir(), 'stream-events-large-'));
  return {
    bucket,
    directory,
    put: async (body) => {
      const key = largeEventKey();
      const path = join(directory, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body, 'utf8');
      return { bucket, key };
    },
    get: (key) => readFile(join(directory, key), 'utf8'),
    close: () => rm(directory, { recursive: true, force: true }),
  };
}
