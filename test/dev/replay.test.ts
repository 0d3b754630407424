/**
 * Replays, end to end: the dev pipeline's real HTTP webhook, the real verifier, the embedded SQS
 * server, each group's consumer with its claims in the embedded DynamoDB, and the hook function.
 * `X-Webhook-Id` is not covered by Stream's signature, so whoever saw one signed delivery can
 * send its body again under any id, or none; only the signed bytes may decide what is a repeat.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import type { SyncHookMessage } from '../../lambda/lib/domain/sync-hooks.js';
import { eventBytes, messageNew } from '../fixtures/events.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import { streamSignature } from '../lambda/support/stream-signing.js';
import { eventually } from '../support/eventually.js';

const API_KEY = 'replay-api-key';
const SECRET = 'replay-api-secret';

let pipeline: DevPipeline;
let logs: LogCapture;
/** The `message.id` of every event the `message.new` handler ran for, in order. */
const handled: string[] = [];
const passed: SyncHookMessage[] = [];
const deleted: SyncHookMessage[] = [];

beforeAll(async () => {
  pipeline = await startDevPipeline({
    port: 0,
    sqsPort: 0,
    apiKey: API_KEY,
    apiSecret: SECRET,
    groups: [
      {
        name: 'chat',
        patterns: ['*'],
        handlers: {
          'message.new': (event) => {
            handled.push(String((event.message as { id?: unknown } | undefined)?.id));
          },
        },
      },
    ],
    hookRuntime: {
      hooks: {
        pendingMessages: {
          onPass: ({ message }) => {
            passed.push(message);
          },
          onDeleted: ({ message }) => {
            deleted.push(message);
          },
        },
      },
    },
  });
}, 30_000);

afterAll(async () => {
  await pipeline?.stop();
});

beforeEach(() => {
  handled.length = 0;
  passed.length = 0;
  deleted.length = 0;
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

/** POSTs `body`, signed as Stream signs it, with `webhookId` as X-Webhook-Id (none when null). */
async function post(url: string, body: Buffer, webhookId: string | null): Promise<number> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': API_KEY,
    'x-signature': streamSignature(body, SECRET),
    'x-webhook-attempt': '1',
  };
  if (webhookId !== null) headers['x-webhook-id'] = webhookId;
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  return response.status;
}

const consumerLines = (msg: string) =>
  logs.lines().filter((line) => line.msg === msg && line.group === 'chat');

/** Resolves once the consumer has taken `count` records (handled or skipped as duplicates). */
async function consumed(count: number): Promise<void> {
  await eventually(`${count} records consumed`, () =>
    consumerLines('event handled').length + consumerLines('event duplicate').length >= count
      ? true
      : undefined,
  );
}

describe('a replayed webhook', () => {
  it('runs the handler once for one signed body sent under ids A, A, new, none, none, new', async () => {
    // Arrange: one delivery an attacker saw, and the ids they send it under.
    const body = eventBytes(
      messageNew({ message: { id: `replayed-${randomUUID()}`, text: 'pay bob 100' } }),
    );
    const a = randomUUID();
    const ids = [a, a, randomUUID(), null, null, randomUUID()];

    // Act: one after another, each answered before the next is sent.
    const statuses: number[] = [];
    for (const id of ids) statuses.push(await post(pipeline.webhookUrl, body, id));
    await consumed(ids.length);

    // Assert
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(handled).toHaveLength(1);
    expect(consumerLines('event handled')).toHaveLength(1);
    expect(consumerLines('event duplicate')).toHaveLength(5);
  });

  it("does not let a pre-claimed webhook id skip Stream's genuine delivery of another body", async () => {
    // Arrange: the attacker holds an older signed body and learns the id of a new delivery.
    const realId = randomUUID();
    const older = eventBytes(messageNew({ message: { id: `older-${randomUUID()}` } }));
    const genuineId = `genuine-${randomUUID()}`;
    const genuine = eventBytes(messageNew({ message: { id: genuineId } }));

    // Act: the older body under the real id first, then Stream's delivery and its retry.
    const statuses = [
      await post(pipeline.webhookUrl, older, realId),
      await post(pipeline.webhookUrl, genuine, realId),
      await post(pipeline.webhookUrl, genuine, realId),
    ];
    await consumed(3);

    // Assert: each body ran once; the genuine one was not taken for a duplicate.
    expect(statuses).toEqual([200, 200, 200]);
    expect(handled.filter((id) => id === genuineId)).toHaveLength(1);
    expect(handled).toHaveLength(2);
  });
});

describe('a replayed pending-message callback', () => {
  const callback = (name: 'PassOnPendingMessage' | 'DeletedPendingMessage'): string =>
    `${pipeline.hookUrls!.pendingMessagesUrl}/${name}`;

  it('runs onPass once for one signed body sent three times, and onDeleted once for the same body', async () => {
    // Arrange
    const body = Buffer.from(
      JSON.stringify({
        message: { id: `pending-${randomUUID()}`, text: 'hold for review', type: 'regular' },
        metadata: { reason: 'review' },
        request_info: { type: 'client' },
      }),
    );

    // Act
    const statuses = [
      await post(callback('PassOnPendingMessage'), body, randomUUID()),
      await post(callback('PassOnPendingMessage'), body, randomUUID()),
      await post(callback('PassOnPendingMessage'), body, null),
      await post(callback('DeletedPendingMessage'), body, randomUUID()),
      await post(callback('DeletedPendingMessage'), body, randomUUID()),
    ];

    // Assert: every call answered as Stream expects; the user code ran once per callback.
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(passed).toHaveLength(1);
    expect(deleted).toHaveLength(1);
    expect(logs.lines().filter((line) => line.msg === 'hook duplicate')).toHaveLength(3);
  });
});
