/**
 * Hostile input against the verifier (issue 6, item 4): one row per attack, each pinned to the
 * status and reason Stream (or an attacker) gets back, and to nothing queued when refused. The
 * real handler runs with a capturing enqueue, so no SQS is needed.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AcceptedDelivery,
  DeliveryLimits,
  Enqueue,
} from '../../../lambda/lib/domain/delivery.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'hostile-test-key';
const SECRET = 'hostile-test-secret-7e6d5c';
const MiB = 1024 * 1024;
const LIMITS: DeliveryLimits = { maxBodyBytes: 1 * MiB, maxInflatedBytes: 16 * MiB };

const logger = createLogger('stream-events-hostile-test');
let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

// ---------------------------------------------------------------------------------------------

const ONE_KEY = fixedCredentials({ [API_KEY]: [SECRET] });

interface Harness {
  readonly handler: ReturnType<typeof createVerifierHandler>;
  readonly enqueued: AcceptedDelivery[];
}

function harness(): Harness {
  const enqueued: AcceptedDelivery[] = [];
  const enqueue: Enqueue = async (delivery) => {
    enqueued.push(delivery);
    return { groups: ['all'] };
  };
  return {
    handler: createVerifierHandler({ logger, credentials: ONE_KEY, enqueue, limits: LIMITS }),
    enqueued,
  };
}

/** Stream's headers signed over `signed`; `undefined` drops a header. */
function headers(
  signed: Buffer,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'X-Webhook-Id': 'hostile-delivery-1',
    'X-Api-Key': API_KEY,
    'X-Signature': streamSignature(signed, SECRET),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function bodyOf(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? 'null');
}

const event = (fields: Record<string, unknown> = {}): Buffer =>
  Buffer.from(JSON.stringify({ type: 'message.new', message: { text: 'hi' }, ...fields }));

/**
 * 100 MiB of zeros as a multi-member gzip (one member per MiB; gunzip reads them all as one
 * stream), built without ever holding the 100 MiB.
 */
const BOMB_INFLATED_BYTES = 100 * MiB;
const BOMB = Buffer.concat(Array.from({ length: 100 }, () => gzipSync(Buffer.alloc(MiB))));

const DEPTH = 100_000;
const DEEP_ARRAY = Buffer.from('['.repeat(DEPTH) + ']'.repeat(DEPTH));
const UNBALANCED = Buffer.from('['.repeat(DEPTH));
const DEEP_INSIDE_EVENT = Buffer.from(
  `{"type":"message.new","deep":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`,
);
/** `"text":"a<0xff>b"`: 0xff never appears in UTF-8. */
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('{"type":"message.new","text":"a'),
  Buffer.from([0xff, 0xc3]),
  Buffer.from('b"}'),
]);

interface Row {
  readonly name: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly status: number;
  /** The `error` of a refusal's JSON body; accepted rows answer `{"ok":true}`. */
  readonly reason?: string;
}

const good = event();
const gzipped = gzipSync(good);
const truncated = gzipped.subarray(0, gzipped.length - 10);
const empty = Buffer.alloc(0);
const sig = streamSignature(good, SECRET);

const ROWS: readonly Row[] = [
  {
    name: 'a body over maxBodyBytes (validly signed) → 413 before any other check',
    body: Buffer.concat([good, Buffer.alloc(LIMITS.maxBodyBytes, 0x20)]),
    headers: headers(Buffer.concat([good, Buffer.alloc(LIMITS.maxBodyBytes, 0x20)])),
    status: 413,
    reason: 'body_too_large',
  },
  {
    name: 'a gzip bomb (100 MiB of zeros, cap 16 MiB) → 413',
    body: BOMB,
    headers: headers(BOMB, { 'Content-Encoding': 'gzip' }),
    status: 413,
    reason: 'inflated_too_large',
  },
  {
    name: 'a truncated gzip body (signed over the JSON) → 400 before auth',
    body: truncated,
    headers: headers(good, { 'Content-Encoding': 'gzip' }),
    status: 400,
    reason: 'bad_gzip',
  },
  {
    name: 'a truncated gzip body with no credentials at all → still 400 (gzip comes before auth)',
    body: truncated,
    headers: headers(good, { 'X-Api-Key': undefined, 'X-Signature': undefined }),
    status: 400,
    reason: 'bad_gzip',
  },
  {
    name: 'a wrong signature → 401',
    body: good,
    headers: headers(good, { 'X-Signature': streamSignature(good, 'another-secret') }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'no X-Signature → 401',
    body: good,
    headers: headers(good, { 'X-Signature': undefined }),
    status: 401,
    reason: 'missing_signature',
  },
  {
    name: 'an empty X-Signature → 401 as missing',
    body: good,
    headers: headers(good, { 'X-Signature': '' }),
    status: 401,
    reason: 'missing_signature',
  },
  {
    name: 'the right signature in uppercase hex → 401 (Stream sends lowercase)',
    body: good,
    headers: headers(good, { 'X-Signature': sig.toUpperCase() }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'the right signature short by one hex digit (63) → 401',
    body: good,
    headers: headers(good, { 'X-Signature': sig.slice(0, 63) }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'the right signature plus one hex digit (65) → 401',
    body: good,
    headers: headers(good, { 'X-Signature': `${sig}0` }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'the right signature with surrounding spaces → 401',
    body: good,
    headers: headers(good, { 'X-Signature': ` ${sig} ` }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'a signature over the compressed bytes instead of the JSON → 401',
    body: gzipped,
    headers: headers(gzipped, { 'Content-Encoding': 'gzip' }),
    status: 401,
    reason: 'bad_signature',
  },
  ...(['[]', '1', 'null', '"s"', 'true', '[{"type":"message.new"}]'] as const).map((json): Row => ({
    name: `a valid signature on non-object JSON ${json} → 400`,
    body: Buffer.from(json),
    headers: headers(Buffer.from(json)),
    status: 400,
    reason: 'not_an_object',
  })),
  {
    name: 'a validly signed object without a type → 400',
    body: Buffer.from('{"message":{}}'),
    headers: headers(Buffer.from('{"message":{}}')),
    status: 400,
    reason: 'missing_type',
  },
  {
    name: `${DEPTH} nested arrays (balanced, validly signed) → 400 not_an_object, no RangeError`,
    body: DEEP_ARRAY,
    headers: headers(DEEP_ARRAY),
    status: 400,
    reason: 'not_an_object',
  },
  {
    name: `${DEPTH} unclosed [ (validly signed) → 400 bad_json`,
    body: UNBALANCED,
    headers: headers(UNBALANCED),
    status: 400,
    reason: 'bad_json',
  },
  {
    name: `an event holding ${DEPTH} nested arrays (validly signed) → accepted (JSON.parse is not recursive)`,
    body: DEEP_INSIDE_EVENT,
    headers: headers(DEEP_INSIDE_EVENT),
    status: 200,
  },
  {
    name: 'invalid UTF-8 inside a string (validly signed over the raw bytes) → accepted',
    body: INVALID_UTF8,
    headers: headers(INVALID_UTF8),
    status: 200,
  },
  {
    name: 'two X-Signature headers joined by API Gateway ("good,good") → 401',
    body: good,
    headers: headers(good, { 'X-Signature': `${sig},${sig}` }),
    status: 401,
    reason: 'bad_signature',
  },
  {
    name: 'two X-Api-Key headers joined by API Gateway ("key,key") → 401',
    body: good,
    headers: headers(good, { 'X-Api-Key': `${API_KEY},${API_KEY}` }),
    status: 401,
    reason: 'unknown_api_key',
  },
  {
    name: 'a wrong API key (signature right for the configured secret) → 401',
    body: good,
    headers: headers(good, { 'X-Api-Key': 'not-our-key' }),
    status: 401,
    reason: 'unknown_api_key',
  },
  {
    name: 'the API key in another case → 401 (keys are exact)',
    body: good,
    headers: headers(good, { 'X-Api-Key': API_KEY.toUpperCase() }),
    status: 401,
    reason: 'unknown_api_key',
  },
  {
    name: 'no X-Api-Key → 401',
    body: good,
    headers: headers(good, { 'X-Api-Key': undefined }),
    status: 401,
    reason: 'missing_api_key',
  },
  {
    name: 'an empty body with no headers → 401 (no key)',
    body: empty,
    headers: {},
    status: 401,
    reason: 'missing_api_key',
  },
  {
    name: 'an empty body with the key and a valid signature of the empty body → 400',
    body: empty,
    headers: headers(empty),
    status: 400,
    reason: 'bad_json',
  },
];

describe('verifier: hostile input', () => {
  it.each(ROWS)('$name', async (row) => {
    // Arrange
    const { handler, enqueued } = harness();

    // Act
    const response = await handler(webhookEvent({ body: row.body, headers: row.headers }));

    // Assert
    expect(response.statusCode).toBe(row.status);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json' });
    if (row.status === 200) {
      expect(bodyOf(response)).toEqual({ ok: true });
      expect(enqueued).toHaveLength(1);
      // The exact bytes Stream signed are what is queued, never a re-serialization.
      expect(enqueued[0]?.eventBytes.equals(row.body)).toBe(true);
    } else {
      expect(bodyOf(response)).toMatchObject({ error: row.reason, message: expect.any(String) });
      expect(enqueued).toEqual([]);
      // Exactly one WARN line per refusal, with the same reason, and not a 5xx.
      const lines = logs.lines();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'WARN', status: row.status, reason: row.reason });
    }
  });

  it('the gzip bomb really is 100 MiB inflated, and refusing it allocates far less', async () => {
    // Arrange: check the bomb without holding it, by streaming it through a counter.
    let inflated = 0;
    await pipeline(
      [BOMB],
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          inflated += chunk.length;
          done();
        },
      }),
    );
    expect(inflated).toBe(BOMB_INFLATED_BYTES);
    expect(BOMB.length).toBeLessThan(LIMITS.maxBodyBytes);
    const { handler, enqueued } = harness();
    const request = webhookEvent({ body: BOMB, headers: headers(BOMB) });
    const before = process.memoryUsage().rss;

    // Act
    const response = await handler(request);

    // Assert
    const grownMiB = (process.memoryUsage().rss - before) / MiB;
    expect(response.statusCode).toBe(413);
    expect(enqueued).toEqual([]);
    // The cap is 16 MiB; an uncapped inflate would grow by 100 MiB or more.
    expect(grownMiB).toBeLessThan(48);
  });

  it('invalid UTF-8 reads as U+FFFD (as Buffer#toString, and so stream-chat, reads it)', async () => {
    // Arrange
    const { handler, enqueued } = harness();

    // Act
    await handler(webhookEvent({ body: INVALID_UTF8, headers: headers(INVALID_UTF8) }));

    // Assert
    expect(enqueued[0]?.event).toEqual({ type: 'message.new', text: 'a\uFFFD\uFFFDb' });
    expect(enqueued[0]?.event).toEqual(JSON.parse(INVALID_UTF8.toString('utf8')));
  });

  it('a deeply nested event is queued with its type, and its bytes untouched', async () => {
    // Arrange
    const { handler, enqueued } = harness();

    // Act
    const response = await handler(
      webhookEvent({ body: DEEP_INSIDE_EVENT, headers: headers(DEEP_INSIDE_EVENT) }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    expect(enqueued[0]?.eventType).toBe('message.new');
    expect(enqueued[0]?.eventBytes.length).toBe(DEEP_INSIDE_EVENT.length);
  });
});
