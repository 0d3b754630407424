/**
 * Fault: the queue cannot be reached. The verifier must answer 503 (so Stream retries) and never
 * a 2xx for an event no queue stored; once the queue is back, Stream's retry of the same webhook
 * id is accepted, and a group that already had the event runs it once (its dedupe absorbs the
 * second copy).
 */
import { randomUUID } from 'node:crypto';
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedRequest } from '../../lambda/lib/domain/stream-request-signer.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../../dev/dev-api-key.js';
import { createQueuePair } from '../../dev/local-sqs.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { queueNameOf } from '../../dev/queue-names.js';
import { startWebhookServer, type WebhookServer } from '../../dev/webhook-server.js';
import { CredentialStore } from '../../lambda/lib/domain/api-key-secrets.js';
import type { HandlerMap } from '../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../lambda/lib/adapters/logger.js';
import { silentMetrics } from '../../lambda/lib/domain/metrics.js';
import { composeVerifier } from '../../lambda/verifier/compose.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import { closedPort, sqsClientFor } from '../lambda/support/local-sqs.js';
import { deliver, eventually, jsonLines, localSqsClient, messageNew } from './support.js';

const VISIBILITY_SECONDS = 2;
const MAX_RECEIVE_COUNT = 3;

let logs: LogCapture;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

/** POSTs once, signed as Stream signs, and reads the answer. */
async function postOnce(url: string, json: Buffer, webhookId: string, attempt: number) {
  const { body, headers } = signedRequest(json, {
    apiKey: DEV_API_KEY,
    secret: DEV_API_SECRET,
    gzip: false,
    webhookId,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'X-Webhook-Attempt': String(attempt) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('SQS unreachable', () => {
  let webhook: WebhookServer;
  let sqs: SQSClient;

  beforeAll(async () => {
    // The verifier as the dev pipeline builds it, but its SQS client talks to a port nobody
    // listens on.
    sqs = sqsClientFor(`http://127.0.0.1:${await closedPort()}`);
    const verifier = composeVerifier(
      {
        routes: [
          {
            group: 'all',
            patterns: ['*'],
            queueUrl: 'http://127.0.0.1:1/000000000000/stream-events-all',
            fifo: false,
          },
        ],
        maxBodyBytes: 6_000_000,
        maxInflatedBytes: 16 * 1024 * 1024,
        maxQueueMessageBytes: 1_048_576,
        maxEventAgeSeconds: null,
      },
      {
        sqs,
        credentials: new CredentialStore({
          load: async () => JSON.stringify({ [DEV_API_KEY]: DEV_API_SECRET }),
        }),
        largeEvents: null,
        metrics: silentMetrics,
        logger: createLogger('stream-events-verifier'),
      },
    );
    webhook = await startWebhookServer({
      host: '127.0.0.1',
      port: 0,
      verifier,
      logger: createLogger('stream-events-dev'),
      maxBodyBytes: 6_000_000,
    });
  });

  afterAll(async () => {
    await webhook?.close();
    sqs?.destroy();
  });

  it('answers every one of Stream’s attempts 503 enqueue_failed, never 2xx', async () => {
    const json = messageNew('unreachable');
    const webhookId = randomUUID();

    const first = await postOnce(webhook.url, json, webhookId, 1);
    const retried = await deliver(webhook.url, json, webhookId);

    expect(first).toEqual({
      status: 503,
      body: expect.objectContaining({ error: 'enqueue_failed' }),
    });
    // Stream's policy: three attempts on a 5xx, then it gives up; none of them was acknowledged.
    expect(retried).toEqual({ ok: false, outcomes: [503, 503, 503] });
    expect(
      jsonLines(logs).filter(
        (line) => line.msg === 'webhook rejected' && line.webhook_id === webhookId,
      ),
    ).toHaveLength(4);
  });
});

describe('one of two groups’ queues missing', () => {
  const effects = { a: new Map<string, number>(), b: new Map<string, number>() };
  const counting = (group: keyof typeof effects): HandlerMap => ({
    '*': (_event, { webhookId }) => {
      effects[group].set(webhookId ?? '', (effects[group].get(webhookId ?? '') ?? 0) + 1);
    },
  });
  let pipeline: DevPipeline;
  let sqs: SQSClient;

  beforeAll(async () => {
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      waitTimeSeconds: 0,
      hookRuntime: false,
      groups: [
        { name: 'a', patterns: ['*'], handlers: counting('a') },
        { name: 'b', patterns: ['*'], handlers: counting('b') },
      ],
    });
    sqs = localSqsClient(pipeline.sqsEndpoint);
  });

  afterAll(async () => {
    sqs?.destroy();
    await pipeline?.stop();
  });

  it('answers 503 while one send fails, and runs Stream’s later retry once per group', async () => {
    const json = messageNew('half-stored');
    const webhookId = randomUUID();
    await sqs.send(new DeleteQueueCommand({ QueueUrl: pipeline.queues.b!.queueUrl }));

    const whileMissing = await postOnce(pipeline.webhookUrl, json, webhookId, 1);
    // Group a stored its copy before the answer, and its consumer runs it meanwhile.
    await eventually('group a handling the first copy', () =>
      effects.a.get(webhookId) === 1 ? true : undefined,
    );
    await createQueuePair(sqs, {
      name: queueNameOf('b'),
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    const retry = await postOnce(pipeline.webhookUrl, json, webhookId, 2);
    await eventually('group b handling the retry', () =>
      effects.b.get(webhookId) === 1 ? true : undefined,
    );
    const duplicate = await eventually('group a skipping the retry as a duplicate', () =>
      jsonLines(logs).find(
        (line) => line.msg === 'event duplicate' && line.webhook_id === webhookId,
      ),
    );

    expect(whileMissing).toEqual({
      status: 503,
      body: expect.objectContaining({ error: 'enqueue_failed' }),
    });
    expect(retry.status).toBe(200);
    expect(duplicate).toMatchObject({ group: 'a' });
    expect(effects.a.get(webhookId)).toBe(1);
    expect(effects.b.get(webhookId)).toBe(1);
  });
});
