import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { messageAttributesFor } from '../lambda/lib/adapters/sqs-message-attributes.js';
import { encodeQueueBody } from '../lambda/lib/domain/queue-message.js';
import { SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';
import { messageNewOfSize, signedBody } from './events.js';
import { summarize } from './stats.js';

/** The size of every end-to-end event: the per-event table's "typical" row. */
export const LOAD_EVENT_BYTES = 4 * 1024;

export interface LoadResult {
  readonly connections: number;
  readonly count: number;
  /** Answered 2xx (for raw sends: succeeded); anything else is counted in `failed`. */
  readonly ok: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly count: number;
}

/**
 * autocannon against a webhook URL: every request a new event (its own id, so consumers do not
 * treat it as a duplicate) signed as Stream signs, uncompressed.
 */
export async function webhookLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    amount: options.count,
    // autocannon notices that `amount` is done only on a sample tick (default every 1 s), and its
    // duration, so our events/s, would be rounded up to whole seconds.
    sampleInt: 10,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const id = randomUUID();
          const { body, headers } = signedBody(messageNewOfSize(LOAD_EVENT_BYTES, id), false, id);
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    connections: options.connections,
    count: options.count,
    ok,
    failed: options.count - ok,
    perSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * The embedded SQS server's own rate: SendMessage through the SDK, `connections` at a time, with
 * the body and attributes the verifier would send for the same events.
 */
export async function rawSendLoad(
  client: SQSClient,
  queueUrl: string,
  options: LoadOptions,
): Promise<LoadResult> {
  let next = 0;
  let failed = 0;
  const latencies: number[] = [];
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      next += 1;
      const id = randomUUID();
      const json = messageNewOfSize(LOAD_EVENT_BYTES, id);
      const encoded = encodeQueueBody(json, SQS_MAX_MESSAGE_BYTES);
      const attributes = messageAttributesFor(
        { webhookId: id, attempt: null, eventType: 'message.new', receivedAt: new Date() },
        'webhook',
      );
      const started = performance.now();
      try {
        await client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: encoded?.body,
            MessageAttributes: attributes,
          }),
        );
        latencies.push(performance.now() - started);
      } catch {
        failed += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  const latency = summarize(latencies.length > 0 ? latencies : [Number.NaN]);
  return {
    connections: options.connections,
    count: options.count,
    ok: latencies.length,
    failed,
    perSecond: latencies.length / seconds,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
  };
}
