/**
 * Events too large for a queue message, end to end through `startDevPipeline`: the verifier
 * stores the body and queues a pointer (claim check), every group's consumer resolves it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_API_KEY, DEV_API_SECRET } from '../../dev/dev-api-key.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import type { HandlerContext } from '../../lambda/lib/domain/handlers.js';
import type { LargeEventStore } from '../../lambda/lib/domain/large-event-store.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../contract/limits.js';
import type { StreamEvent } from '../../lambda/lib/domain/stream-event.js';
import { streamSignature } from '../lambda/support/stream-signing.js';
import { eventually } from '../support/eventually.js';

/** A 3 MB message.new whose random attachment gzip cannot shrink below a queue message. */
function largeEvent(): StreamEvent {
  return {
    type: 'message.new',
    cid: 'messaging:large',
    message: {
      id: randomUUID(),
      text: 'a large attachment',
      attachments: [{ type: 'file', data: randomBytes(2_250_000).toString('base64') }],
    },
    user: { id: 'alice' },
    created_at: '2026-11-23T12:00:00.000Z',
  };
}

/** POSTs `event` to the dev webhook once, signed with the dev credentials. */
async function post(url: string, event: StreamEvent, webhookId = randomUUID()) {
  const body = Buffer.from(JSON.stringify(event), 'utf8');
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-api-key': DEV_API_KEY,
      'x-signature': streamSignature(body, DEV_API_SECRET),
      'x-webhook-id': webhookId,
      'x-webhook-attempt': '1',
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function localSqs(endpoint: string): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Messages on a queue, visible or in flight. */
async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

interface Call {
  readonly group: string;
  readonly event: StreamEvent;
  readonly context: HandlerContext;
}

describe('startDevPipeline: a 3 MB event (claim check through the dev file store)', () => {
  const calls: Call[] = [];
  let pipeline: DevPipeline;
  const record = (group: string) => (event: StreamEvent, context: HandlerContext) => {
    calls.push({ group, event, context });
  };

  beforeAll(async () => {
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      hookRuntime: false,
      groups: [
        { name: 'chat', patterns: ['message.*'], handlers: { '*': record('chat') } },
        { name: 'all', patterns: ['*'], handlers: { '*': record('all') } },
      ],
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers 200 and hands every group the identical event, once', async () => {
    // Arrange: even gzipped and base64-encoded, the body is over SQS's 1 MiB.
    const event = largeEvent();
    const bytes = Buffer.from(JSON.stringify(event), 'utf8');
    expect(bytes.length).toBeGreaterThan(3_000_000);
    expect(Math.ceil(gzipSync(bytes).length / 3) * 4).toBeGreaterThan(SQS_MAX_MESSAGE_BYTES);
    const webhookId = randomUUID();

    // Act
    const response = await post(pipeline.webhookUrl, event, webhookId);
    await eventually('both groups handled it', () => (calls.length >= 2 ? true : undefined));

    // Assert
    expect(response).toEqual({ status: 200, body: { ok: true } });
    expect(calls.map((call) => call.group).sort()).toEqual(['all', 'chat']);
    for (const call of calls) {
      expect(call.event).toEqual(event);
      expect(call.context).toMatchObject({ webhookId, attempt: 1, source: 'webhook' });
    }
  });
});

describe('startDevPipeline: large-event storage unreachable', () => {
  let pipeline: DevPipeline;
  let sqs: SQSClient;
  const unreachable: LargeEventStore = {
    bucket: 'local-large-events',
    put: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { name: 'TimeoutError' });
    },
    get: async () => {
      throw new Error('not reached');
    },
  };

  beforeAll(async () => {
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      hookRuntime: false,
      startPolling: false,
      largeEventStore: unreachable,
      groups: [
        { name: 'chat', patterns: ['message.*'], handlers: { '*': () => {} } },
        { name: 'all', patterns: ['*'], handlers: { '*': () => {} } },
      ],
    });
    sqs = localSqs(pipeline.sqsEndpoint);
  });

  afterAll(async () => {
    sqs?.destroy();
    await pipeline?.stop();
  });

  it('answers 503 storage_failed (Stream retries) and puts nothing on any queue', async () => {
    // Act
    const response = await post(pipeline.webhookUrl, largeEvent());

    // Assert
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'storage_failed' });
    const depths = await Promise.all(
      Object.values(pipeline.queues).flatMap((queue) => [
        depth(sqs, queue.queueUrl),
        depth(sqs, queue.dlqUrl),
      ]),
    );
    expect(depths).toEqual([0, 0, 0, 0]);
  });

  it('still queues an event that fits, without touching the store', async () => {
    // Act
    const response = await post(pipeline.webhookUrl, {
      type: 'message.new',
      message: { id: randomUUID(), text: 'small' },
      created_at: '2026-11-23T12:00:00.000Z',
    });

    // Assert
    expect(response.status).toBe(200);
    expect(await depth(sqs, pipeline.queues.chat!.queueUrl)).toBe(1);
    expect(await depth(sqs, pipeline.queues.all!.queueUrl)).toBe(1);
  });
});
