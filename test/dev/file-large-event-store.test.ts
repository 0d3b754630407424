import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_LARGE_EVENT_BUCKET,
  startFileLargeEventStore,
} from '../../dev/file-large-event-store.js';

describe('the dev file large-event store', () => {
  it('keeps each body in a file under its S3-shaped key, and reads it back', async () => {
    const store = await startFileLargeEventStore();
    try {
      const pointer = await store.put('H4sIAAAA');

      expect(pointer.bucket).toBe(LOCAL_LARGE_EVENT_BUCKET);
      expect(pointer.key).toMatch(/^events\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}$/);
      await expect(access(join(store.directory, pointer.key))).resolves.toBeUndefined();
      await expect(store.get(pointer.key)).resolves.toBe('H4sIAAAA');
    } finally {
      await store.close();
    }
  });

  it('removes its directory, and every stored body, on close', async () => {
    const store = await startFileLargeEventStore();
    await store.put('body');

    await store.close();

    await expect(access(store.directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
