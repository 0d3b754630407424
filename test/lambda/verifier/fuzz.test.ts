/**
 * Property-based fuzzing (issue 6, item 4) of the two doors an attacker can knock on: the
 * verifier (and the synchronous hooks, which verify the same way) and the queue decoder. Seeds
 * are fixed, so a failure replays; fast-check prints the shrunk counterexample.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeQueueMessage } from '../../../lambda/lib/domain/decode.js';
import type {
  AcceptedDelivery,
  DeliveryLimits,
  Enqueue,
} from '../../../lambda/lib/domain/delivery.js';
import { UndecodableMessage } from '../../../lambda/lib/domain/errors.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { createSyncHookHandler } from '../../../lambda/sync-hooks/handler.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'fuzz-test-key';
const SECRET = 'fuzz-test-secret-0a1b2c';
const OTHER_SECRET = 'fuzz-other-secret-3d4e5f';
const LIMITS: DeliveryLimits = { maxBodyBytes: 64 * 1024, maxInflatedBytes: 256 * 1024 };
/** Fixed so a failing property replays the same way. */
const SEED = 20_250_606;
const RUNS = 200;
const PARAMS = { seed: SEED, numRuns: RUNS } as const;

const logger = createLogger('stream-events-fuzz-test');
let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

// ---------------------------------------------------------------------------------------------

const ONE_KEY = fixedCredentials({ [API_KEY]: [SECRET] });

/** What went on the wire, and what Stream would have signed (the bytes before gzip). */
interface Body {
  readonly wire: Buffer;
  readonly signed: Buffer;
}

const plain = (bytes: Uint8Array): Body => ({
  wire: Buffer.from(bytes),
  signed: Buffer.from(bytes),
});
const gzipped = (bytes: Uint8Array): Body => ({
  wire: gzipSync(bytes),
  signed: Buffer.from(bytes),
});
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

const jsonText = fc.oneof(
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({ type: fc.oneof(fc.string(), fc.constant('message.new')), message: fc.jsonValue() })
    .map((value) => JSON.stringify(value)),
);

const bodies: fc.Arbitrary<Body> = fc.oneof(
  fc.uint8Array({ maxLength: 1024 }).map(plain),
  jsonText.map(utf8).map(plain),
  fc.uint8Array({ maxLength: 1024 }).map(gzipped),
  jsonText.map(utf8).map(gzipped),
  // A gzip stream cut short, or with a flipped byte.
  fc.tuple(jsonText, fc.nat(), fc.nat(255)).map(([text, at, flip]): Body => {
    const whole = gzipSync(utf8(text));
    const cut = Buffer.from(whole.subarray(0, Math.max(2, at % whole.length)));
    if (flip !== 0 && cut.length > 10) {
      const i = 10 + (at % (cut.length - 10));
      cut.writeUInt8((cut.readUInt8(i) ^ flip) & 0xff, i);
    }
    return { wire: cut, signed: Buffer.from(utf8(text)) };
  }),
);

/** How the X-Signature header is chosen, given the body. */
const signatures = fc.oneof(
  fc.constant((body: Body): string | undefined => streamSignature(body.signed, SECRET)),
  fc.constant((body: Body): string | undefined => streamSignature(body.signed, OTHER_SECRET)),
  fc.constant((body: Body): string | undefined => streamSignature(body.wire, SECRET)),
  fc.constant((body: Body): string | undefined =>
    streamSignature(body.signed, SECRET).toUpperCase(),
  ),
  fc.constant((): string | undefined => undefined),
  fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => (): string | undefined => hex),
  fc.string().map((text) => (): string | undefined => text),
);

const apiKeys = fc.oneof(
  fc.constant<string | undefined>(API_KEY),
  fc.constant<string | undefined>(undefined),
  fc.string(),
);

/** Header names that do not collide (case-insensitively) with the two the properties control. */
const extraHeaders = fc.dictionary(
  fc
    .oneof(fc.string({ minLength: 1 }), fc.constantFrom('__proto__', 'constructor', 'toString'))
    .filter((name) => !['x-api-key', 'x-signature'].includes(name.toLowerCase())),
  fc.string(),
  { maxKeys: 4 },
);

interface Attempt {
  readonly body: Body;
  readonly apiKey: string | undefined;
  readonly signature: string | undefined;
  readonly extra: Record<string, string>;
  readonly encoding: 'base64' | 'text';
}

const attempts: fc.Arbitrary<Attempt> = fc
  .record({
    body: bodies,
    apiKey: apiKeys,
    sign: signatures,
    extra: extraHeaders,
    encoding: fc.constantFrom<'base64' | 'text'>('base64', 'text'),
  })
  .map(({ body, apiKey, sign, extra, encoding }) => ({
    body,
    apiKey,
    signature: sign(body),
    extra,
    encoding,
  }));

function eventOf(attempt: Attempt): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { ...attempt.extra };
  if (attempt.apiKey !== undefined) headers['X-Api-Key'] = attempt.apiKey;
  if (attempt.signature !== undefined) headers['X-Signature'] = attempt.signature;
  return webhookEvent({ body: attempt.body.wire, headers, encoding: attempt.encoding });
}

/**
 * The oracle, independent of lambda/: the bytes the handler receives (a text body went through
 * UTF-8), inflated when gzip; the request is authentic only when the key is ours and the
 * signature is the lowercase HMAC of those bytes under our secret.
 */
function authentic(attempt: Attempt): boolean {
  const received =
    attempt.encoding === 'text'
      ? Buffer.from(attempt.body.wire.toString('utf8'), 'utf8')
      : attempt.body.wire;
  let bytes = received;
  if (received[0] === 0x1f && received[1] === 0x8b) {
    try {
      bytes = gunzipSync(received, { maxOutputLength: LIMITS.maxInflatedBytes });
    } catch {
      return false;
    }
  }
  return attempt.apiKey === API_KEY && attempt.signature === streamSignature(bytes, SECRET);
}

function jsonBody(response: APIGatewayProxyStructuredResultV2): unknown {
  expect(typeof response.body).toBe('string');
  return JSON.parse(response.body ?? '');
}

// ---------------------------------------------------------------------------------------------

describe('verifier (fast-check)', () => {
  it('never throws, never 5xx, always JSON, and 2xx (with one enqueue) only when authentic', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(attempts, async (attempt) => {
        const enqueued: AcceptedDelivery[] = [];
        const enqueue: Enqueue = async (delivery) => {
          enqueued.push(delivery);
          return { groups: ['all'] };
        };
        const handler = createVerifierHandler({
          logger,
          credentials: ONE_KEY,
          enqueue,
          limits: LIMITS,
        });

        const response = await handler(eventOf(attempt));

        const status = response.statusCode ?? 0;
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        const body = jsonBody(response);
        if (status < 300) {
          accepted += 1;
          expect(authentic(attempt)).toBe(true);
          expect(body).toEqual({ ok: true });
          expect(enqueued).toHaveLength(1);
        } else {
          expect(body).toMatchObject({ error: expect.any(String) });
          expect(enqueued).toEqual([]);
        }
      }),
      PARAMS,
    );
    // The generators do reach the accepting path, so the 2xx branch was exercised.
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('hooks (fast-check)', () => {
  const paths = fc.oneof(
    fc.constantFrom(
      '/hooks/before-message-send',
      '/hooks/custom-commands',
      '/hooks/pending-messages/PassOnPendingMessage',
      '/hooks/pending-messages/DeletedPendingMessage',
    ),
    fc.string().map((tail) => `/hooks/${tail}`),
  );
  const hookBodies: fc.Arbitrary<Body> = fc.oneof(
    bodies,
    fc
      .record({
        message: fc.record({ text: fc.string(), command: fc.option(fc.string()) }),
        user: fc.option(fc.record({ id: fc.string() })),
      })
      .map((value) => plain(utf8(JSON.stringify(value)))),
  );
  const hookAttempts = fc
    .record({
      path: paths,
      body: hookBodies,
      apiKey: apiKeys,
      sign: signatures,
      encoding: fc.constantFrom<'base64' | 'text'>('base64', 'text'),
    })
    .map(({ path, body, apiKey, sign, encoding }) => ({
      path,
      attempt: { body, apiKey, signature: sign(body), extra: {}, encoding } satisfies Attempt,
    }));

  it('never throws, never 5xx, always JSON, and 2xx only when authentic', async () => {
    const calls: unknown[] = [];
    const handler = createSyncHookHandler({
      logger,
      credentials: ONE_KEY,
      limits: LIMITS,
      hooks: {
        beforeMessageSend: (input) => {
          calls.push(input);
          return { action: 'pass' };
        },
        customCommands: {},
      },
    });
    await fc.assert(
      fc.asyncProperty(hookAttempts, async ({ path, attempt }) => {
        calls.length = 0;
        const base = eventOf(attempt);
        const response = await handler({
          ...base,
          routeKey: `POST ${path}`,
          rawPath: path,
          requestContext: {
            ...base.requestContext,
            routeKey: `POST ${path}`,
            http: { ...base.requestContext.http, path },
          },
        });

        const status = response.statusCode ?? 0;
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        jsonBody(response);
        if (status < 300) expect(authentic(attempt)).toBe(true);
        else expect(calls).toEqual([]);
      }),
      PARAMS,
    );
  });
});

describe('decodeQueueMessage (fast-check)', () => {
  const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const queueBodies: fc.Arbitrary<string> = fc
    .oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...'ABCabc019+/= {}"[]') }),
      jsonText,
      fc.uint8Array({ maxLength: 512 }).map(base64),
      jsonText.map((text) => base64(utf8(text))),
      fc.uint8Array({ maxLength: 512 }).map((bytes) => base64(gzipSync(bytes))),
      jsonText.map((text) => base64(gzipSync(utf8(text)))),
      jsonText.map((text) => base64(gzipSync(utf8(text)).subarray(0, 12))),
    )
    .chain((inner) =>
      fc.oneof(
        fc.constant(inner),
        fc.constant(JSON.stringify({ Type: 'Notification', Message: inner })),
        fc.constant(
          JSON.stringify({
            Type: 'Notification',
            Message: JSON.stringify({ Type: 'Notification', Message: inner }),
          }),
        ),
        fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\uFEFF') }).map((ws) => ws + inner),
      ),
    );

  it('returns an event or throws UndecodableMessage, never another error', () => {
    fc.assert(
      fc.property(queueBodies, (body) => {
        try {
          const { event, bytes } = decodeQueueMessage(body, LIMITS.maxInflatedBytes);
          expect(typeof event.type).toBe('string');
          expect(Buffer.isBuffer(bytes)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UndecodableMessage);
        }
      }),
      PARAMS,
    );
  });
});
