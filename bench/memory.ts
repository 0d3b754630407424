import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createQueuePair, startLocalSqs } from '../dev/local-sqs.js';
import { powertoolsEnv, VERIFIER_SERVICE } from '../contract/env/common.js';
import { esbuildOptionsFor } from '../lib/bundling.js';
import { REPO_ROOT } from '../contract/entry-file.js';
import { spawnJsonChild } from './child.js';
import { webhookLoad, type LoadResult } from './load.js';
import { VERIFIER_READY, VERIFIER_STOPPED } from './verifier-lines.js';

export interface MemoryResult {
  readonly load: LoadResult;
  /** Resident set once the server listens, before any request. */
  readonly rssBeforeBytes: number;
  /** The peak resident set over the process's life (getrusage maxrss). */
  readonly peakRssBytes: number;
}

/**
 * The verifier's peak RSS under the end-to-end load: the verifier and the dev webhook server,
 * bundled as a Lambda is, alone in a child `node`; the embedded SQS server and autocannon here.
 */
export async function measureMemory(connections: number, count: number): Promise<MemoryResult> {
  const dir = await mkdtemp(join(tmpdir(), 'stream-events-bench-memory-'));
  const sqs = await startLocalSqs({ port: 0, host: '127.0.0.1' });
  try {
    const bundle = join(dir, 'verifier-server.mjs');
    await build(esbuildOptionsFor(join(REPO_ROOT, 'bench/verifier-server.ts'), bundle));
    const queue = await createQueuePair(sqs.client, {
      name: 'stream-events-bench',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });
    const verifier = spawnJsonChild([bundle], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SQS_ENDPOINT: sqs.endpoint,
        QUEUE_URL: queue.queueUrl,
        ...powertoolsEnv(VERIFIER_SERVICE),
      },
      wanted: [VERIFIER_READY, VERIFIER_STOPPED],
    });
    try {
      const ready = await verifier.waitFor(VERIFIER_READY);
      const load = await webhookLoad(String(ready.webhook_url), { connections, count });
      await verifier.stop();
      const stopped = await verifier.waitFor(VERIFIER_STOPPED);
      return {
        load,
        rssBeforeBytes: Number(ready.rss_bytes),
        peakRssBytes: Number(stopped.max_rss_bytes),
      };
    } finally {
      await verifier.stop();
    }
  } finally {
    await sqs.close();
    await rm(dir, { recursive: true, force: true });
  }
}
