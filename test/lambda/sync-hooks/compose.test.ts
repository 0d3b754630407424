/**
 * The sync hooks' composition root, the one assembly their Lambda (syncHooksHandler), `npm run
 * dev` and these tests share: each setting reaches the part that acts on it, and pending-message
 * callbacks claim in the given DynamoDB (dynalite here) under the hooks' own prefix.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeSyncHooks, type SyncHooksSettings } from '../../../lambda/sync-hooks/compose.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { SYNC_HOOK_CLAIMS_PREFIX } from '../../../contract/names.js';
import { parseCidr, sourceIpAllowlist } from '../../../lambda/lib/domain/source-ip.js';
import type { SyncHooks } from '../../../lambda/lib/domain/sync-hooks.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext } from '../support/sqs-event.js';
import { fixedCredentials } from '../support/stream-signing.js';
import { API_KEY, ONE_KEY, bodyOf, chatMessage, hookEvent } from './support.js';

const BMS = '/hooks/before-message-send';
const PASS = '/hooks/pending-messages/PassOnPendingMessage';
const PENDING = { message: { id: 'msg-compose', text: 'held' } };

let dynamo: LocalDynamoDb;
let table: string;
let logs: LogCapture;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(async () => {
  table = await dynamo.createClaimsTable();
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

function settings(overrides: Partial<SyncHooksSettings> = {}): SyncHooksSettings {
  return {
    budgetMs: 1_000,
    maxBodyBytes: 1_000_000,
    maxInflatedBytes: 2_000_000,
    idempotencyTable: table,
    dedupeTtlSeconds: 900,
    ...overrides,
  };
}

const adapters = () => ({
  credentials: ONE_KEY,
  dynamoDb: dynamo.client,
  logger: createLogger('stream-events-hooks-test'),
});

describe('composeSyncHooks', () => {
  it("claims a pending-message callback under the hooks' prefix, for dedupeTtlSeconds, and runs a replay once", async () => {
    // Arrange
    const runs: string[] = [];
    const hooks: SyncHooks = {
      pendingMessages: { onPass: ({ message }) => void runs.push(String(message.id)) },
    };
    const handler = composeSyncHooks(settings(), hooks, adapters());
    const startedAt = Math.floor(Date.now() / 1000);
    const call = (webhookId: string) =>
      handler(
        hookEvent({ path: PASS, body: PENDING, headers: { 'x-webhook-id': webhookId } }),
        lambdaContext(3_000),
      );

    // Act
    const answers = [await call('first'), await call('replayed')];

    // Assert
    expect(answers.map((answer) => [answer.statusCode, bodyOf(answer)])).toEqual([
      [200, {}],
      [200, {}],
    ]);
    expect(runs).toEqual(['msg-compose']);
    const [item, ...others] = await dynamo.items(table);
    expect(others).toEqual([]);
    expect(item?.id).toMatch(new RegExp(`^${SYNC_HOOK_CLAIMS_PREFIX}#`));
    const expiresIn = Number(item?.expiration) - startedAt;
    expect(expiresIn).toBeGreaterThanOrEqual(900);
    expect(expiresIn).toBeLessThan(960);
  });

  it("passes a message through once the user's code outlasts the settings' budget", async () => {
    const handler = composeSyncHooks(
      settings({ budgetMs: 20 }),
      { beforeMessageSend: () => new Promise<never>(() => {}) },
      adapters(),
    );

    const answer = await handler(hookEvent({ path: BMS, body: chatMessage() }), lambdaContext());

    expect([answer.statusCode, bodyOf(answer)]).toEqual([200, {}]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'hook budget exceeded', budget_ms: 20 }),
    );
  });

  it("applies the settings' body limit and source allowlist, and the given credentials", async () => {
    const pass = (): { action: 'pass' } => ({ action: 'pass' });
    const handler = composeSyncHooks(
      settings({
        maxBodyBytes: 512,
        sourceAllowed: sourceIpAllowlist([parseCidr('34.225.10.0/24')]),
      }),
      { beforeMessageSend: pass },
      adapters(),
    );
    const forgedKeys = composeSyncHooks(
      settings(),
      { beforeMessageSend: pass },
      { ...adapters(), credentials: fixedCredentials({ [API_KEY]: ['another-secret'] }) },
    );
    const outsider = hookEvent({ path: BMS, body: chatMessage() });

    const answers = await Promise.all([
      handler(hookEvent({ path: BMS, body: chatMessage({ text: 'x'.repeat(600) }) })),
      handler({
        ...outsider,
        requestContext: {
          ...outsider.requestContext,
          http: { ...outsider.requestContext.http, sourceIp: '198.51.100.7' },
        },
      }),
      forgedKeys(hookEvent({ path: BMS, body: chatMessage() })),
    ]);

    expect(answers.map((answer) => answer.statusCode)).toEqual([413, 403, 401]);
  });
});
