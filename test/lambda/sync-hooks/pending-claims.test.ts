/**
 * Pending-message callbacks run their user code once per signed body: a replay (any webhook id,
 * or none) answers as Stream expects without running it again. Claims in memory here, with the
 * contract of lambda/lib/adapters/dynamodb-claims.ts; test/dev/replay.test.ts runs the real ones in DynamoDB.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncHookHandler } from '../../../lambda/sync-hooks/handler.js';
import type { Claims } from '../../../lambda/lib/domain/claims.js';
import { ClaimFailed, ClaimInProgress } from '../../../lambda/lib/domain/errors.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { SyncHooks } from '../../../lambda/lib/domain/sync-hooks.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext } from '../support/sqs-event.js';
import { LIMITS, ONE_KEY, bodyOf, chatMessage, hookEvent } from './support.js';

const PASS = '/hooks/pending-messages/PassOnPendingMessage';
const DELETED = '/hooks/pending-messages/DeletedPendingMessage';
const PENDING = { message: { id: 'msg-9', text: 'held' }, metadata: { reason: 'review' } };
const PENDING_BYTES = Buffer.from(JSON.stringify(PENDING));

const logger = createLogger('stream-events-hooks-test');
let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Claims as the contract says: done keys are duplicates, a failed run releases its key. */
function memoryClaims() {
  const done = new Set<string>();
  const claimed: string[] = [];
  const claims: Claims = {
    async once(key, work) {
      claimed.push(key);
      if (done.has(key)) return 'duplicate';
      await work();
      done.add(key);
      return 'ran';
    },
  };
  return { claims, claimed };
}

/** Claims whose every call throws `error`, as an unreachable table or a running claim does. */
function throwingClaims(error: Error): Claims {
  return {
    once: async () => {
      throw error;
    },
  };
}

function handlerWith(hooks: SyncHooks, claims: Claims, budgetMs = 1000) {
  const handler = createSyncHookHandler({
    logger,
    credentials: ONE_KEY,
    limits: LIMITS,
    hooks,
    budgetMs,
    claims,
  });
  return (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext(3_000));
}

function counting() {
  const runs: string[] = [];
  const hooks: SyncHooks = {
    pendingMessages: {
      onPass: ({ message }) => void runs.push(`pass:${message.id}`),
      onDeleted: ({ message }) => void runs.push(`deleted:${message.id}`),
    },
  };
  return { runs, hooks };
}

const lines = (msg: string) => logs.lines().filter((line) => line.msg === msg);

describe('pending-message callbacks: claims', () => {
  it('runs onPass once for one signed body sent under new ids, none, and gzipped', async () => {
    // Arrange
    const { runs, hooks } = counting();
    const { claims } = memoryClaims();
    const handler = handlerWith(hooks, claims);
    const zipped = gzipSync(PENDING_BYTES);

    // Act
    const results = [
      await handler(hookEvent({ path: PASS, body: PENDING, headers: { 'x-webhook-id': 'a' } })),
      await handler(hookEvent({ path: PASS, body: PENDING, headers: { 'x-webhook-id': 'b' } })),
      await handler(
        hookEvent({ path: PASS, body: PENDING, headers: { 'x-webhook-id': undefined } }),
      ),
      // Signed over the inflated bytes, as Stream signs a compressed body.
      await handler({
        ...hookEvent({ path: PASS, body: PENDING, headers: { 'x-webhook-id': 'c' } }),
        body: zipped.toString('base64'),
      }),
    ];

    // Assert
    expect(results.map((result) => [result.statusCode, bodyOf(result)])).toEqual([
      [200, {}],
      [200, {}],
      [200, {}],
      [200, {}],
    ]);
    expect(runs).toEqual(['pass:msg-9']);
    expect(lines('hook duplicate')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        hook: 'pending-messages/PassOnPendingMessage',
        webhook_id: 'b',
      }),
      expect.objectContaining({
        level: 'INFO',
        hook: 'pending-messages/PassOnPendingMessage',
        webhook_id: null,
      }),
      expect.objectContaining({
        level: 'INFO',
        hook: 'pending-messages/PassOnPendingMessage',
        webhook_id: 'c',
      }),
    ]);
  });

  it('claims each callback apart: the SHA-256 of the inflated body under its own prefix', async () => {
    // Arrange
    const { runs, hooks } = counting();
    const { claims, claimed } = memoryClaims();
    const handler = handlerWith(hooks, claims);

    // Act
    await handler(hookEvent({ path: PASS, body: PENDING }));
    await handler(hookEvent({ path: DELETED, body: PENDING }));

    // Assert
    expect(runs).toEqual(['pass:msg-9', 'deleted:msg-9']);
    expect(claimed).toEqual([
      `PassOnPendingMessage:${sha256Hex(PENDING_BYTES)}`,
      `DeletedPendingMessage:${sha256Hex(PENDING_BYTES)}`,
    ]);
  });

  it('releases the claim when the code throws, so a later delivery runs it', async () => {
    // Arrange
    let calls = 0;
    const { claims } = memoryClaims();
    const handler = handlerWith(
      {
        pendingMessages: {
          onPass: () => {
            calls += 1;
            if (calls === 1) throw new Error('commit failed');
          },
        },
      },
      claims,
    );

    // Act
    const first = await handler(hookEvent({ path: PASS, body: PENDING }));
    const second = await handler(hookEvent({ path: PASS, body: PENDING }));
    const third = await handler(hookEvent({ path: PASS, body: PENDING }));

    // Assert
    expect([first, second, third].map((result) => result.statusCode)).toEqual([200, 200, 200]);
    expect(calls).toBe(2);
    expect(lines('hook failed')).toHaveLength(1);
    expect(lines('hook duplicate')).toHaveLength(1);
  });

  it('keeps the claim of code that ran past the budget: it may still finish, once', async () => {
    // Arrange
    let calls = 0;
    const { claims } = memoryClaims();
    const handler = handlerWith(
      {
        pendingMessages: {
          onPass: () => {
            calls += 1;
            return new Promise<void>(() => {});
          },
        },
      },
      claims,
      20,
    );

    // Act
    await handler(hookEvent({ path: PASS, body: PENDING }));
    const replay = await handler(hookEvent({ path: PASS, body: PENDING }));

    // Assert
    expect(replay.statusCode).toBe(200);
    expect(calls).toBe(1);
    expect(lines('hook budget exceeded')).toHaveLength(1);
    expect(lines('hook duplicate')).toHaveLength(1);
  });

  it('answers {} and runs nothing when the claim store fails, as when the code fails; logged', async () => {
    // Arrange
    const { runs, hooks } = counting();
    const handler = handlerWith(hooks, throwingClaims(new ClaimFailed('claim store: timeout')));

    // Act
    const result = await handler(hookEvent({ path: PASS, body: PENDING }));

    // Assert
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
    expect(runs).toEqual([]);
    expect(lines('claim failed')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        hook: 'pending-messages/PassOnPendingMessage',
        webhook_id: 'hook-delivery-1',
      }),
    ]);
  });

  it('answers {} and runs nothing while another call holds the claim; logged', async () => {
    // Arrange
    const { runs, hooks } = counting();
    const handler = handlerWith(hooks, throwingClaims(new ClaimInProgress('running')));

    // Act
    const result = await handler(hookEvent({ path: DELETED, body: PENDING }));

    // Assert
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
    expect(runs).toEqual([]);
    expect(lines('hook in progress')).toEqual([
      expect.objectContaining({ level: 'WARN', hook: 'pending-messages/DeletedPendingMessage' }),
    ]);
  });

  it('claims nothing for Before Message Send and Custom Commands, which change no state', async () => {
    // Arrange
    const { claims, claimed } = memoryClaims();
    let sends = 0;
    const handler = handlerWith(
      {
        beforeMessageSend: () => {
          sends += 1;
          return { action: 'pass' };
        },
      },
      claims,
    );

    // Act
    await handler(hookEvent({ path: '/hooks/before-message-send', body: chatMessage() }));
    await handler(hookEvent({ path: '/hooks/before-message-send', body: chatMessage() }));

    // Assert
    expect(sends).toBe(2);
    expect(claimed).toEqual([]);
  });

  it('answers 500 when claims are set but the call has no Lambda context to expire them by', async () => {
    // Arrange
    const { runs, hooks } = counting();
    const handler = createSyncHookHandler({
      logger,
      credentials: ONE_KEY,
      limits: LIMITS,
      hooks,
      claims: memoryClaims().claims,
    });

    // Act
    const result = await handler(hookEvent({ path: PASS, body: PENDING }));

    // Assert
    expect(result.statusCode).toBe(500);
    expect(runs).toEqual([]);
  });
});
