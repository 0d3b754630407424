import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '../dev/local-sqs.js';
import { REPO_ROOT } from '../contract/entry-file.js';
import { spawnJsonChild } from './child.js';
import { BENCH_API_KEY, BENCH_API_SECRET } from './events.js';
import { rawSendLoad, webhookLoad, type LoadResult } from './load.js';

const DRAIN_TIMEOUT_MS = 30_000;

export interface EndToEndRow {
  readonly pipeline: LoadResult;
  readonly rawSqs: LoadResult;
}

interface ReadyLine {
  readonly webhook_url: string;
  readonly sqs_endpoint: string;
  readonly queues: Readonly<Record<string, { readonly queue_url: string }>>;
}

/**
 * Waits until the consumer has taken everything off the queue, so each measurement starts from
 * the same place: an empty queue and an idle consumer. Gives up (and measures anyway) after
 * `timeoutMs`.
 */
async function drained(sqs: SQSClient, queueUrl: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (left === 0) return;
    await sleep(250);
  }
}

/**
 * `npm run dev` itself (every group's consumer polling) in a child process, loaded from this one:
 * first autocannon against its webhook, then plain SDK SendMessage to its embedded SQS server, at
 * each concurrency, for the same count, each from an empty queue. The consumers keep polling, so
 * both phases share the machine with them alike. The load and the pipeline never share an event
 * loop.
 */
export async function measureEndToEnd(
  concurrencies: readonly number[],
  count: number,
): Promise<EndToEndRow[]> {
  const dev = spawnJsonChild(['--import', 'tsx', 'dev/index.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      SQS_PORT: '0',
      STREAM_API_KEY: BENCH_API_KEY,
      STREAM_API_SECRET: BENCH_API_SECRET,
    },
    wanted: ['dev pipeline ready'],
  });
  try {
    const ready = (await dev.waitFor('dev pipeline ready')) as unknown as ReadyLine;
    const queueUrl = Object.values(ready.queues)[0]?.queue_url;
    if (queueUrl === undefined) throw new Error('the dev pipeline listed no queue');
    const sqs = new SQSClient({
      region: LOCAL_REGION,
      endpoint: ready.sqs_endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const rows: EndToEndRow[] = [];
    try {
      for (const connections of concurrencies) {
        await drained(sqs, queueUrl, DRAIN_TIMEOUT_MS);
        const pipeline = await webhookLoad(ready.webhook_url, { connections, count });
        await drained(sqs, queueUrl, DRAIN_TIMEOUT_MS);
        const rawSqs = await rawSendLoad(sqs, queueUrl, { connections, count });
        rows.push({ pipeline, rawSqs });
      }
    } finally {
      sqs.destroy();
    }
    return rows;
  } finally {
    await dev.stop();
  }
}
