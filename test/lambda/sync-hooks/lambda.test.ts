/**
 * The Lambda wiring of the sync hooks: the entry convention (the user's hooks file exports
 * `hooks` and `handler = syncHooksHandler(hooks)`, as a group's entry does with consumerHandler),
 * configuration read at the first invocation, Secrets Manager stubbed, and the real module-scope
 * DynamoDB client pointed at dynalite through the SDK's own endpoint variable.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Entry from '../../../lambda/handlers/sync-hooks.js';
import { SYNC_HOOK_CLAIMS_PREFIX } from '../../../contract/names.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext } from '../support/sqs-event.js';
import { API_KEY, SECRET, bodyOf, chatMessage, hookEvent } from './support.js';

/** Every variable the hooks' configuration reads. */
const HOOKS_VARIABLES = [
  'STREAM_SECRET_ID',
  'HOOK_BUDGET_MS',
  'MAX_BODY_BYTES',
  'MAX_INFLATED_BYTES',
  'IDEMPOTENCY_TABLE',
  'DEDUPE_TTL_SECONDS',
  'ALLOWED_SOURCE_CIDRS',
];
const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-AbCdEf';
const PASS = '/hooks/pending-messages/PassOnPendingMessage';

const secretsManager = mockClient(SecretsManagerClient);
let dynamo: LocalDynamoDb;
let logs: LogCapture;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
  secretsManager.restore();
});

beforeEach(() => {
  vi.resetModules();
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand, { SecretId: SECRET_ID })
    .resolves({ SecretString: JSON.stringify({ [API_KEY]: SECRET }) });
  for (const name of HOOKS_VARIABLES) vi.stubEnv(name, undefined);
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
  vi.unstubAllEnvs();
});

/** The environment lib/sync-hooks.ts gives the hook function, plus AWS's own. */
async function stubLambdaEnvironment(): Promise<string> {
  const table = await dynamo.createClaimsTable();
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    STREAM_SECRET_ID: SECRET_ID,
    HOOK_BUDGET_MS: '1000',
    IDEMPOTENCY_TABLE: table,
    DEDUPE_TTL_SECONDS: '3600',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return table;
}

describe('syncHooksHandler: the entry convention', () => {
  it('lambda/handlers/sync-hooks.ts exports the hooks and the Lambda handler, reading no config on import', async () => {
    // Arrange: record which variables are read while the module loads.
    const reads = new Set<string>();
    const env = process.env;
    process.env = new Proxy(env, {
      get(target, name, receiver) {
        if (typeof name === 'string') reads.add(name);
        return Reflect.get(target, name, receiver);
      },
    });

    // Act
    let entry: typeof Entry;
    try {
      entry = await import('../../../lambda/handlers/sync-hooks.js');
    } finally {
      process.env = env;
    }

    // Assert
    expect(typeof entry.hooks.beforeMessageSend).toBe('function');
    expect(typeof entry.handler).toBe('function');
    expect(HOOKS_VARIABLES.filter((name) => reads.has(name))).toEqual([]);
  });
});

describe('syncHooksHandler: configured at the first invocation', () => {
  it('verifies with the secret STREAM_SECRET_ID names and claims callbacks in IDEMPOTENCY_TABLE', async () => {
    // Arrange
    const table = await stubLambdaEnvironment();
    const { handler } = await import('../../../lambda/handlers/sync-hooks.js');
    const pending = (webhookId: string) =>
      handler(
        hookEvent({
          path: PASS,
          body: { message: { id: 'msg-entry', text: 'held' } },
          headers: { 'x-webhook-id': webhookId },
        }),
        lambdaContext(3_000),
      );

    // Act
    const answers = [await pending('first'), await pending('replayed')];

    // Assert: the shipped onPass logged once; the replay was a duplicate.
    expect(answers.map((answer) => [answer.statusCode, bodyOf(answer)])).toEqual([
      [200, {}],
      [200, {}],
    ]);
    const lines = logs.lines();
    expect(lines.filter((line) => line.msg === 'pending message')).toEqual([
      expect.objectContaining({ message_id: 'msg-entry', service: 'stream-events-hooks' }),
    ]);
    expect(lines.filter((line) => line.msg === 'hook duplicate')).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(await dynamo.items(table)).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(new RegExp(`^${SYNC_HOOK_CLAIMS_PREFIX}#`)),
      }),
    ]);
  });

  it("runs a custom entry's hooks through the same handler", async () => {
    // Arrange
    await stubLambdaEnvironment();
    const { syncHooksHandler } = await import('../../../lambda/sync-hooks/lambda.js');
    const handler = syncHooksHandler({
      beforeMessageSend: () => ({ action: 'reject', text: 'custom entry says no' }),
    });

    // Act
    const answer = await handler(
      hookEvent({ path: '/hooks/before-message-send', body: chatMessage() }),
      lambdaContext(3_000),
    );

    // Assert
    expect(bodyOf(answer)).toEqual({ message: { type: 'error', text: 'custom entry says no' } });
  });

  it('fails the invocation with a ConfigError while the environment is wrong, and recovers once fixed', async () => {
    // Arrange: the table variable is missing at first.
    await stubLambdaEnvironment();
    const table = process.env.IDEMPOTENCY_TABLE ?? '';
    vi.stubEnv('IDEMPOTENCY_TABLE', undefined);
    const { handler } = await import('../../../lambda/handlers/sync-hooks.js');
    const event = hookEvent({ path: '/hooks/before-message-send', body: chatMessage() });

    // Act / Assert
    await expect(handler(event, lambdaContext(3_000))).rejects.toThrow(
      'environment variable IDEMPOTENCY_TABLE is not set',
    );
    vi.stubEnv('IDEMPOTENCY_TABLE', table);
    await expect(handler(event, lambdaContext(3_000))).resolves.toMatchObject({ statusCode: 200 });
  });
});
