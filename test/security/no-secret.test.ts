/**
 * No secret anywhere: not in the synthesized template, not in any Lambda environment value, not
 * in any line a function prints. The template part synthesizes every stack shape with a
 * distinctive Stream secret in the synthesizing shell's environment; the log part runs every
 * function's code paths with that secret loaded as its credentials and captures everything
 * written to stdout and stderr. Logging the credentials, the secret's JSON, or a new env
 * variable nobody listed below, fails here.
 *
 * The one deliberate exception: `npm run dev` prints its built-in DEV secret (`dev-api-secret`)
 * in the ready line so `npm run send` can be pointed at it; a secret from STREAM_API_SECRET is
 * never printed (the last test proves it on the real `npm run dev` process).
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEV_API_SECRET } from '../../dev/dev-api-key.js';
import type { DevGroup } from '../../dev/groups.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { readyMessage } from '../../dev/ready-message.js';
import { createSyncHookHandler } from '../../lambda/sync-hooks/handler.js';
import type { DeliveryLimits } from '../../lambda/lib/domain/delivery.js';
import { createLogger } from '../../lambda/lib/adapters/logger.js';
import { secretsManagerCredentials } from '../../lambda/lib/adapters/secrets-manager-source.js';
import { readSourceCidrs } from '../../contract/env/common.js';
import { parseCidr, sourceIpAllowlist } from '../../lambda/lib/domain/source-ip.js';
import { silentMetrics } from '../../lambda/lib/domain/metrics.js';
import type {
  BeforeMessageSendHook,
  BeforeMessageSendResult,
} from '../../lambda/lib/domain/sync-hooks.js';
import { composeVerifier } from '../../lambda/verifier/compose.js';
import { streamEgressCidrs } from '../../lib/source-allowlist.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';
import { eventBytes, messageNew } from '../fixtures/events.js';
import { webhookEvent } from '../lambda/support/api-gateway.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import {
  closedPort,
  sqsClientFor,
  startLocalSqs,
  type LocalSqs,
} from '../lambda/support/local-sqs.js';
import { streamSignature } from '../lambda/support/stream-signing.js';

const API_KEY = 'no-secret-test-key';
const SECRET = 'Zq7-distinctive-api-secret-no-log-41c9e';
const OLD_SECRET = 'Zq7-distinctive-old-secret-no-log-88d2a';
/** The secret string as Secrets Manager holds it. */
const SECRET_JSON = JSON.stringify({ [API_KEY]: [SECRET, OLD_SECRET] });
const FORBIDDEN = [SECRET, OLD_SECRET, SECRET_JSON, Buffer.from(SECRET).toString('base64')];

/** Fails with the offending needle, so the report says what leaked. */
function expectNoSecretIn(text: string): void {
  expect(text.length).toBeGreaterThan(0);
  for (const needle of FORBIDDEN) expect(text.includes(needle), `leaked: ${needle}`).toBe(false);
}

// ---------------------------------------------------------------------------------------------
// The template and the Lambda environments

interface LambdaFunction {
  readonly Properties: { readonly Environment: { readonly Variables: Record<string, unknown> } };
}

type Check = (value: unknown) => boolean;

const isDigits: Check = (value) => typeof value === 'string' && /^\d+$/.test(value);
const isToken =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'object' && value !== null && pattern.test(JSON.stringify(value));

/**
 * Every variable a function may have, and what its value must look like. A new variable fails
 * the test until it is listed here, after checking its value can never be a secret.
 */
const ENV_VALUES: Readonly<Record<string, Check>> = {
  NODE_OPTIONS: (value) => value === '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: (value) => typeof value === 'string' && /^stream-events-/.test(value),
  POWERTOOLS_LOG_LEVEL: (value) => value === 'INFO',
  // The stack's metrics namespace: a fixed prefix and the stack's name.
  POWERTOOLS_METRICS_NAMESPACE: (value) => value === 'StreamEvents/NoSecret',
  MAX_BODY_BYTES: isDigits,
  MAX_INFLATED_BYTES: isDigits,
  MAX_QUEUE_MESSAGE_BYTES: isDigits,
  HOOK_BUDGET_MS: isDigits,
  DEDUPE_TTL_SECONDS: isDigits,
  // The queue URLs, resolved at deploy time.
  ROUTES: isToken(/queueUrl/),
  // Where the secret is (its ARN), never what it is.
  STREAM_SECRET_ID: (value) =>
    isToken(/^\{"Ref":"StreamSecret[0-9A-F]{8}"\}$/)(value) ||
    isToken(/:secret:stream\/api-secrets/)(value),
  // The large-event bucket's name (claim check), resolved at deploy time.
  LARGE_EVENT_BUCKET: isToken(/^\{"Ref":"LargeEventsBucket[0-9A-F]{8}"\}$/),
  IDEMPOTENCY_TABLE: isToken(/^\{"Ref":"IdempotencyTable[0-9A-F]{8}"\}$/),
  CONSUMER_GROUP: (value) => typeof value === 'string' && /^[a-z0-9-]+$/.test(value),
  CONSUMER_PATTERNS: (value) => typeof value === 'string' && Array.isArray(JSON.parse(value)),
  ORDERING: (value) => value === 'none' || value === 'per-entity',
  ALLOWED_SOURCE_CIDRS: (value) =>
    typeof value === 'string' &&
    readSourceCidrs({ ALLOWED_SOURCE_CIDRS: value })?.map(parseCidr).length ===
      value.split(',').length,
};

/** Which of those each function may have; `?` marks the ones only some stack shapes set. */
const ALLOWED_ENV: Readonly<Record<string, readonly string[]>> = {
  'stream-events-verifier': [
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_LOG_LEVEL',
    'POWERTOOLS_METRICS_NAMESPACE',
    'MAX_BODY_BYTES',
    'MAX_INFLATED_BYTES',
    'MAX_QUEUE_MESSAGE_BYTES',
    'ROUTES',
    'STREAM_SECRET_ID',
    'LARGE_EVENT_BUCKET?',
    'ALLOWED_SOURCE_CIDRS?',
  ],
  'stream-events-hooks': [
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_LOG_LEVEL',
    'HOOK_BUDGET_MS',
    'MAX_BODY_BYTES',
    'MAX_INFLATED_BYTES',
    'STREAM_SECRET_ID',
    'IDEMPOTENCY_TABLE',
    'DEDUPE_TTL_SECONDS',
    'ALLOWED_SOURCE_CIDRS?',
  ],
  'stream-events-consumer': [
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_LOG_LEVEL',
    'POWERTOOLS_METRICS_NAMESPACE',
    'CONSUMER_GROUP',
    'CONSUMER_PATTERNS',
    'ORDERING',
    'MAX_INFLATED_BYTES',
    'IDEMPOTENCY_TABLE',
    'DEDUPE_TTL_SECONDS',
    'LARGE_EVENT_BUCKET?',
  ],
};

/** Synthesizes with the secret in the shell's environment, as a user who exported it would. */
function synth(props: StreamEventsStackProps): Template {
  vi.stubEnv('STREAM_API_KEY', API_KEY);
  vi.stubEnv('STREAM_API_SECRET', SECRET);
  try {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    return Template.fromStack(new StreamEventsStack(app, 'NoSecret', props));
  } finally {
    vi.unstubAllEnvs();
  }
}

const STACK_SHAPES: ReadonlyArray<readonly [string, StreamEventsStackProps]> = [
  ['the default stack', {}],
  [
    'every path, two groups, hooks with provisioned concurrency, an allowlist',
    {
      sourceIpAllowlist: streamEgressCidrs(),
      paths: { webhook: true, sqs: true, sns: true },
      consumers: [
        { name: 'messages', events: ['message.*'] },
        { name: 'rest', events: ['*'] },
      ],
      syncHooks: { enabled: true, provisionedConcurrency: 1 },
    },
  ],
  ['an existing secret named stream/api-secrets', { secret: 'stream/api-secrets' }],
];

describe.each(STACK_SHAPES)('the template of %s', (_name, props) => {
  const template = synth(props);
  const functions = Object.values(
    template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>,
  );

  it('contains no secret value, and no secret string but the empty placeholder', () => {
    expectNoSecretIn(JSON.stringify(template.toJSON()));
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    for (const secret of secrets) {
      expect(secret.Properties).toMatchObject({ SecretString: '{}' });
    }
  });

  it('gives every function only listed variables, each with a value that cannot be a secret', () => {
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const env = fn.Properties.Environment.Variables;
      const service = String(env['POWERTOOLS_SERVICE_NAME']);
      const allowed = ALLOWED_ENV[service];
      expect(allowed, `function ${service} has no env allowlist`).toBeDefined();
      const required = allowed!.filter((name) => !name.endsWith('?'));
      const optional = allowed!.map((name) => name.replace(/\?$/, ''));
      expect(Object.keys(env).filter((name) => !optional.includes(name))).toEqual([]);
      expect(required.filter((name) => !(name in env))).toEqual([]);
      for (const [name, value] of Object.entries(env)) {
        expect(ENV_VALUES[name]!(value), `${service} ${name}=${JSON.stringify(value)}`).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every line the functions print

const LIMITS: DeliveryLimits = { maxBodyBytes: 64 * 1024, maxInflatedBytes: 256 * 1024 };
const secretsManager = mockClient(SecretsManagerClient);
let logs: LogCapture;
let sqs: LocalSqs;
let queueUrl: string;
let unreachableSqs: string;

beforeAll(async () => {
  sqs = await startLocalSqs();
  queueUrl = await sqs.createQueue();
  unreachableSqs = `http://127.0.0.1:${await closedPort()}`;
});

afterAll(async () => {
  await sqs.stop();
  secretsManager.restore();
});

/** For the functions run in process: the secret in Secrets Manager, all output captured. */
function captureEachTest(): void {
  beforeEach(() => {
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET_JSON });
    logs = captureLogs();
  });
  afterEach(() => {
    logs.restore();
  });
}

interface Delivery {
  readonly body?: Buffer;
  readonly headers?: Record<string, string | undefined>;
  readonly sourceIp?: string;
}

/** A webhook delivery, signed with the real secret unless the headers say otherwise. */
function delivery({ body = eventBytes(messageNew()), headers = {}, sourceIp }: Delivery = {}) {
  const all: Record<string, string | undefined> = {
    'x-api-key': API_KEY,
    'x-signature': streamSignature(body, SECRET),
    'x-webhook-id': 'wh-no-secret',
    ...headers,
  };
  return webhookEvent({
    body,
    sourceIp,
    headers: Object.fromEntries(
      Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  });
}

/** The deployed wiring: credentials from (mocked) Secrets Manager, a real SQS client. */
function verifier(sqsEndpoint?: string) {
  return composeVerifier(
    {
      routes: [{ group: 'all', patterns: ['*'], queueUrl, fifo: false }],
      ...LIMITS,
      maxQueueMessageBytes: 1_048_576,
      sourceAllowed: sourceIpAllowlist([parseCidr('34.225.10.29')]),
      maxEventAgeSeconds: null,
    },
    {
      sqs: sqsEndpoint ? sqsClientFor(sqsEndpoint) : sqs.client,
      credentials: secretsManagerCredentials(new SecretsManagerClient({}), 'stream/api-secrets'),
      largeEvents: null,
      metrics: silentMetrics,
      logger: createLogger('stream-events-verifier'),
    },
  );
}

describe('the verifier prints no secret', () => {
  captureEachTest();

  it('would see the credentials if a function logged them (the capture covers the logger)', () => {
    createLogger('stream-events-verifier').info('loaded', { credentials: SECRET_JSON });

    expect(() => expectNoSecretIn(logs.text())).toThrow(/leaked/);
  });

  /** A correctly signed body that is not a valid event. */
  const signed = (json: string): Delivery => ({ body: Buffer.from(json) });
  const cases: ReadonlyArray<readonly [string, Delivery, number]> = [
    ['accepted', {}, 200],
    ['source_ip_not_allowed', { sourceIp: '198.51.100.7' }, 403],
    ['body_too_large', { body: Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x20) }, 413],
    [
      'inflated_too_large',
      { body: gzipSync(Buffer.alloc(LIMITS.maxInflatedBytes + 1, 0x20)) },
      413,
    ],
    ['bad_gzip', { body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]) }, 400],
    ['missing_api_key', { headers: { 'x-api-key': undefined } }, 401],
    ['missing_signature', { headers: { 'x-signature': undefined } }, 401],
    ['unknown_api_key', { headers: { 'x-api-key': 'someone-else' } }, 401],
    [
      'bad_signature',
      { headers: { 'x-signature': streamSignature(eventBytes(messageNew()), 'wrong') } },
      401,
    ],
    ['bad_json', signed('{"type": '), 400],
    ['not_an_object', signed('["message.new"]'), 400],
    ['missing_type', signed('{"message":{}}'), 400],
  ];

  it.each(cases)('%s', async (reason, request, status) => {
    const response = await verifier()(delivery(request));

    expect(response.statusCode).toBe(status);
    if (status !== 200) expect(response.body).toContain(reason);
    expectNoSecretIn(JSON.stringify(response) + logs.text());
    if (status !== 200) expect(logs.lines()).toContainEqual(expect.objectContaining({ reason }));
  });

  it('enqueue_failed: SQS unreachable', async () => {
    const response = await verifier(unreachableSqs)(delivery());

    expect(response.statusCode).toBe(503);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ reason: 'enqueue_failed' }));
    expectNoSecretIn(logs.text());
  });

  it('secret_unavailable: Secrets Manager fails', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    const response = await verifier()(delivery());

    expect(response.statusCode).toBe(503);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ reason: 'secret_unavailable' }));
    expectNoSecretIn(logs.text());
  });

  it('secret_not_configured: a secret that is not JSON is never quoted', async () => {
    // Truncated JSON that still carries the secret: a parse error must not echo it.
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET_JSON.slice(0, -2) });
    const response = await verifier()(delivery());

    expect(response.statusCode).toBe(500);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ reason: 'secret_not_configured' }),
    );
    expectNoSecretIn(JSON.stringify(response) + logs.text());
  });

  it('credentials reload failure: a mismatch triggers a reload that fails', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const handler = verifier();
      expect((await handler(delivery())).statusCode).toBe(200);
      secretsManager.on(GetSecretValueCommand).rejects(new Error('ThrottlingException'));
      now += 120_000; // past the reload interval, so a mismatch reloads

      const response = await handler(delivery({ headers: { 'x-api-key': 'rotated-key' } }));

      expect(response.statusCode).toBe(503);
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      expect(logs.lines()).toContainEqual(
        expect.objectContaining({ reason: 'secret_unavailable' }),
      );
      expectNoSecretIn(logs.text());
    } finally {
      vi.mocked(Date.now).mockRestore();
    }
  });
});

describe('the hook function prints no secret', () => {
  captureEachTest();
  function hookEventFor(delivered: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
    const path = '/hooks/before-message-send';
    return {
      ...delivered,
      routeKey: `POST ${path}`,
      rawPath: path,
      requestContext: {
        ...delivered.requestContext,
        routeKey: `POST ${path}`,
        http: { ...delivered.requestContext.http, path },
      },
    };
  }
  const chatBody = Buffer.from(JSON.stringify({ message: { id: 'm1', text: 'hello' } }));
  const hooks = (beforeMessageSend: BeforeMessageSendHook, budgetMs = 1000) =>
    createSyncHookHandler({
      logger: createLogger('stream-events-hooks'),
      credentials: secretsManagerCredentials(new SecretsManagerClient({}), 'stream/api-secrets'),
      limits: LIMITS,
      hooks: { beforeMessageSend },
      budgetMs,
    });

  const pass = (): BeforeMessageSendResult => ({ action: 'pass' });
  it.each<readonly [string, BeforeMessageSendHook, Delivery, number]>([
    ['passes a message', pass, { body: chatBody }, 200],
    [
      'rejects a message (user code)',
      () => ({ action: 'reject', text: 'not allowed here' }),
      { body: chatBody },
      200,
    ],
    [
      'rejects a forged request',
      pass,
      { body: chatBody, headers: { 'x-signature': streamSignature(chatBody, 'forged') } },
      401,
    ],
    [
      'times out',
      () => new Promise((resolve) => setTimeout(() => resolve(pass()), 200)),
      { body: chatBody },
      200,
    ],
    [
      'fails (user code throws)',
      () => {
        throw new Error('the moderation service is down');
      },
      { body: chatBody },
      200,
    ],
  ])('%s', async (_name, user, request, status) => {
    const response = await hooks(user, 20)(hookEventFor(delivery(request)));

    expect(response.statusCode).toBe(status);
    expectNoSecretIn(JSON.stringify(response) + logs.text() + '\n');
  });
});

describe('the consumers and the dev pipeline print no secret', () => {
  let pipeline: DevPipeline;
  let devLogs: LogCapture;
  const group: DevGroup = {
    name: 'all',
    patterns: ['*'],
    handlers: {
      'message.new': () => {},
      'message.deleted': () => {
        throw new Error('the mailer did not answer');
      },
    },
  };

  beforeAll(async () => {
    devLogs = captureLogs();
    vi.stubEnv('STREAM_API_SECRET', SECRET);
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
      apiKey: API_KEY,
      apiSecret: SECRET,
      groups: [group],
      hookRuntime: false,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    vi.unstubAllEnvs();
    devLogs?.restore();
  });

  async function post(type: string, webhookId: string): Promise<number> {
    const body = eventBytes({ ...messageNew(), type });
    const response = await fetch(pipeline.webhookUrl, {
      method: 'POST',
      body,
      headers: {
        'x-api-key': API_KEY,
        'x-signature': streamSignature(body, SECRET),
        'x-webhook-id': webhookId,
      },
    });
    return response.status;
  }

  async function logLine(match: Record<string, unknown>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const found = devLogs
        .lines()
        .some((line) => Object.entries(match).every(([key, value]) => line[key] === value));
      if (found) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no log line ${JSON.stringify(match)}`);
  }

  it('handled, duplicate and handler failure, with the ready line', async () => {
    expect(await post('message.new', 'wh-handled')).toBe(200);
    await logLine({ msg: 'event handled', webhook_id: 'wh-handled' });
    expect(await post('message.new', 'wh-handled')).toBe(200);
    await logLine({ msg: 'event duplicate', webhook_id: 'wh-handled' });
    expect(await post('message.deleted', 'wh-failing')).toBe(200);
    await logLine({ msg: 'handler failed', webhook_id: 'wh-failing' });

    const ready = readyMessage(pipeline, {
      apiKey: API_KEY,
      apiSecret: SECRET,
      secretFromEnv: true,
    });
    expectNoSecretIn(devLogs.text() + JSON.stringify(ready));
    // The exception: the built-in dev secret is printed on purpose, and only that one.
    expect(
      readyMessage(pipeline, { apiKey: 'dev', apiSecret: DEV_API_SECRET, secretFromEnv: false }),
    ).toMatchObject({ api_secret: DEV_API_SECRET });
  });
});

describe('`npm run dev` with STREAM_API_SECRET set', () => {
  it('prints no secret from start to stop, the ready line included', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'dev/index.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        SQS_PORT: '0',
        DYNAMODB_PORT: '0',
        STREAM_API_KEY: API_KEY,
        STREAM_API_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          const line = output.split('\n').find((text) => text.includes('dev pipeline ready'));
          if (line === undefined) return;
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        });
      });
      expect(ready.api_secret).toBe('(from STREAM_API_SECRET)');

      const body = eventBytes(messageNew());
      const response = await fetch(String(ready.webhook_url), {
        method: 'POST',
        body,
        headers: {
          'x-api-key': API_KEY,
          'x-signature': streamSignature(body, SECRET),
          'x-webhook-id': 'wh-dev',
        },
      });
      expect(response.status).toBe(200);
      const forged = await fetch(String(ready.webhook_url), {
        method: 'POST',
        body,
        headers: { 'x-api-key': API_KEY, 'x-signature': streamSignature(body, 'forged') },
      });
      expect(forged.status).toBe(401);
      const deadline = Date.now() + 15_000;
      while (!output.includes('"event handled"') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain('"event handled"');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(output).toContain('webhook rejected');
    expectNoSecretIn(output);
  }, 60_000);
});
