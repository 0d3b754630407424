/**
 * Our decoders against Stream's official SDK (`stream-chat`'s `verifyAndParseWebhook`, `parseSqs`,
 * `parseSns`) as the oracle. The contract (README, "Decisions where the issues were silent"):
 * wherever the SDK rejects, we reject; wherever it accepts an event, we accept the same value.
 * Our documented differences:
 * - stricter: we refuse a value that is not a JSON object with a non-empty string `type` (the SDK
 *   returns whatever JSON it parsed), and we cap gzip inflation;
 * - more lenient, queue path only: raw JSON, an SNS envelope around raw JSON, and an SNS envelope
 *   reaching the SQS path (SNS -> SQS without raw message delivery);
 * - stricter about envelopes: we open only a real SNS notification (`Type` is "Notification" and
 *   the object has no string `type` of its own). `parseSns` opens any JSON object with a string
 *   `Message`, so an event that carries a top-level `Message` would be swapped for whatever that
 *   field decodes to (a smuggled type). Stream's Go `ParseSqs` (GetStream/getstream-go
 *   webhook.go) and Python `parse_sqs` (GetStream/stream-chat-python stream_chat/webhook.py) never
 *   open an SQS body at all; we open it only for the SNS -> SQS case above. See `envelopeCases`.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InvalidWebhookError, parseSns, parseSqs, verifyAndParseWebhook } from 'stream-chat';
import { describe, expect, it } from 'vitest';
import { decodeQueueMessage } from '../../../lambda/lib/domain/decode.js';
import { acceptDelivery, type AcceptedDelivery } from '../../../lambda/lib/domain/delivery.js';
import { DeliveryRejected, UndecodableMessage } from '../../../lambda/lib/domain/errors.js';
import {
  eventBytes,
  eventOfType,
  invalidUtf8EventBytes,
  messageNew,
  nonAsciiEvent,
} from '../../fixtures/events.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'agreement-api-key';
const SECRET = 'agreement-secret';
const OTHER_SECRET = 'agreement-other-secret';
/** Fixed so a failing property replays the same way; fast-check prints the counterexample. */
const PROPERTY_SEED = 20_251_123;
const PROPERTY_RUNS = 300;

// ---------------------------------------------------------------------------------------------
// The two sides
// ---------------------------------------------------------------------------------------------

type SdkVerdict =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly why: string };

/** Runs an SDK helper; anything but its documented `InvalidWebhookError` is a broken test. */
function sdk(parse: () => unknown): SdkVerdict {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!(error instanceof InvalidWebhookError)) throw error;
    return { ok: false, why: error.message };
  }
}

type OurWebhookVerdict =
  | { readonly ok: true; readonly value: unknown; readonly delivery: AcceptedDelivery }
  | { readonly ok: false; readonly status: number; readonly reason: string };

const credentials = fixedCredentials({ [API_KEY]: [SECRET] });

async function ourWebhook(
  body: Buffer,
  signature: string,
  maxInflatedBytes = 16 * 1024 * 1024,
): Promise<{ verdict: OurWebhookVerdict; enqueued: AcceptedDelivery[] }> {
  const enqueued: AcceptedDelivery[] = [];
  try {
    const delivery = await acceptDelivery(
      {
        body,
        headers: { 'x-api-key': API_KEY, 'x-signature': signature, 'x-webhook-id': 'wh-agree' },
        receivedAt: new Date(0),
      },
      {
        credentials,
        enqueue: async (accepted) => {
          enqueued.push(accepted);
          return { groups: ['all'] };
        },
        limits: { maxBodyBytes: 64 * 1024 * 1024, maxInflatedBytes },
      },
    );
    // What the consumer will see is what was enqueued, so that is what we compare.
    const value: unknown = JSON.parse(enqueued[0]?.eventBytes.toString('utf8') ?? 'undefined');
    return { verdict: { ok: true, value, delivery }, enqueued };
  } catch (error) {
    if (!(error instanceof DeliveryRejected)) throw error;
    return { verdict: { ok: false, status: error.status, reason: error.reason }, enqueued };
  }
}

type OurQueueVerdict =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly why: string };

/** The event the consumer reads from a queue body, or why it was refused. */
function ours(body: string, maxInflatedBytes?: number): OurQueueVerdict {
  try {
    return { ok: true, value: decodeQueueMessage(body, maxInflatedBytes).event };
  } catch (error) {
    if (!(error instanceof UndecodableMessage)) throw error;
    return { ok: false, why: error.message };
  }
}

/** Our refusal of a value that decoded but is not an event, by what is wrong with it. */
function shapeRefusal(value: unknown): string {
  return value === null || typeof value !== 'object' || Array.isArray(value)
    ? 'event is not a JSON object'
    : 'event has no string "type"';
}

// ---------------------------------------------------------------------------------------------
// The agreement rules
// ---------------------------------------------------------------------------------------------

/** What we take as an event: a JSON object with a non-empty string `type`. */
function isStreamEvent(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && type !== '';
}

/** Our rejection reasons for each SDK failure mode (same order of checks: gzip, HMAC, JSON). */
const REASONS_FOR_SDK_FAILURE: Readonly<Record<string, readonly string[]>> = {
  'signature mismatch': ['bad_signature', 'missing_signature'],
  'gzip decompression failed': ['bad_gzip'],
  'invalid JSON payload': ['bad_json'],
};

function expectWebhookAgreement(
  oracle: SdkVerdict,
  { verdict, enqueued }: { verdict: OurWebhookVerdict; enqueued: AcceptedDelivery[] },
  signature: string,
): void {
  if (!oracle.ok) {
    expect(verdict.ok, 'the SDK rejects, so must we').toBe(false);
    if (!verdict.ok) expect(REASONS_FOR_SDK_FAILURE[oracle.why]).toContain(verdict.reason);
    expect(enqueued).toHaveLength(0);
    return;
  }
  if (!isStreamEvent(oracle.value)) {
    // Our stricter rule: valid, signed JSON that is not an event is a 400, never queued.
    expect(verdict).toMatchObject({ ok: false, status: 400 });
    if (!verdict.ok) expect(['not_an_object', 'missing_type']).toContain(verdict.reason);
    expect(enqueued).toHaveLength(0);
    return;
  }
  expect(verdict.ok, 'the SDK accepts an event, so must we').toBe(true);
  if (!verdict.ok) return;
  expect(verdict.value).toStrictEqual(oracle.value);
  expect(verdict.delivery.event).toStrictEqual(oracle.value);
  expect(verdict.delivery.eventType).toBe((oracle.value as { type: string }).type);
  expect(enqueued).toHaveLength(1);
  // The queued bytes are the very bytes Stream signed, not a re-serialization.
  expect(streamSignature(verdict.delivery.eventBytes, SECRET)).toBe(signature);
}

function expectQueueAgreement(oracle: SdkVerdict, body: string): void {
  const event = ours(body);
  if (!oracle.ok) {
    expect(event.ok, 'the SDK rejects, so must we').toBe(false);
    return;
  }
  // Our stricter event check on top of the same value: a value that is not an event is decoded,
  // then refused for what is wrong with it.
  expect(event, 'the SDK accepts, so must we').toStrictEqual(
    isStreamEvent(oracle.value)
      ? { ok: true, value: oracle.value }
      : { ok: false, why: shapeRefusal(oracle.value) },
  );
}

// ---------------------------------------------------------------------------------------------
// Building inputs
// ---------------------------------------------------------------------------------------------

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const envelope = (message: unknown): string =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: '2c5d7d7e-5c7e-5c2b-9b0a-1f1f1f1f1f1f',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:stream-events',
    Message: message,
    Timestamp: '2025-01-01T12:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
  });

/** Event bytes whose length leaves `padding` '=' characters at the end of their base64. */
function eventWithPadding(padding: 1 | 2): Buffer {
  for (let extra = 0; ; extra += 1) {
    const bytes = eventBytes(messageNew({ pad: 'x'.repeat(extra) }));
    if ((3 - (bytes.length % 3)) % 3 === padding) return bytes;
  }
}

/** Base64 of an event that uses both `+` and `/`, the two characters URL-safe base64 replaces. */
function base64WithPlusAndSlash(): string {
  for (let extra = 0; ; extra += 1) {
    const text = b64(eventBytes(messageNew({ pad: 'x'.repeat(extra), text: '>>>???' })));
    if (text.includes('+') && text.includes('/')) return text;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The same base64 with the unused low bits of its last character set: it decodes to the same
 * bytes, but is not what an encoder writes. Node's decoder (and so the SDK) ignores those bits.
 */
function withNonZeroPaddingBits(canonical: string): string {
  const match = /^(.*)([^=])(=+)$/s.exec(canonical);
  if (match === null) throw new Error('needs a padded base64 string');
  const [, head = '', last = 'A', padding = ''] = match;
  return `${head}${ALPHABET[ALPHABET.indexOf(last) | 1]}${padding}`;
}

/** Base64 of the JSON (gzipped or not) with trailing spaces added until its base64 is padded. */
function paddedBase64(bytes: Buffer, compress: boolean): string {
  for (let spaces = 0; ; spaces += 1) {
    const text = Buffer.concat([bytes, Buffer.alloc(spaces, ' ')]);
    const payload = compress ? gzipSync(text) : text;
    if (payload.length % 3 !== 0) return b64(payload);
  }
}

function insertAt(text: string, index: number, insert: string): string {
  return text.slice(0, index) + insert + text.slice(index);
}

function gzipMembers(bytes: Buffer): Buffer {
  const half = Math.floor(bytes.length / 2);
  return Buffer.concat([gzipSync(bytes.subarray(0, half)), gzipSync(bytes.subarray(half))]);
}

const corruptGzip = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
  Buffer.from('not deflate data'),
]);

// ---------------------------------------------------------------------------------------------
// Webhook path: acceptDelivery vs verifyAndParseWebhook
// ---------------------------------------------------------------------------------------------

interface WebhookCase {
  readonly name: string;
  readonly body: Buffer;
  readonly signature: string;
  /** What the case is built to make the SDK do, checked so a case cannot silently drift. */
  readonly sdk: 'accepts' | 'rejects';
}

const EVENT = eventBytes(messageNew());
const signed = (bytes: Uint8Array): string => streamSignature(bytes, SECRET);

function tampered(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf('hello');
  copy[at] = 'j'.charCodeAt(0);
  return copy;
}

const webhookCases: readonly WebhookCase[] = [
  { name: 'valid plain body', body: EVENT, signature: signed(EVENT), sdk: 'accepts' },
  {
    name: 'valid gzip body, signed over the uncompressed bytes',
    body: gzipSync(EVENT),
    signature: signed(EVENT),
    sdk: 'accepts',
  },
  {
    name: 'valid gzip body in several gzip members',
    body: gzipMembers(EVENT),
    signature: signed(EVENT),
    sdk: 'accepts',
  },
  { name: 'tampered body', body: tampered(EVENT), signature: signed(EVENT), sdk: 'rejects' },
  {
    name: 'tampered body inside gzip',
    body: gzipSync(tampered(EVENT)),
    signature: signed(EVENT),
    sdk: 'rejects',
  },
  {
    name: 'gzip body signed over the compressed bytes',
    body: gzipSync(EVENT),
    signature: signed(gzipSync(EVENT)),
    sdk: 'rejects',
  },
  {
    name: 'uppercase signature',
    body: EVENT,
    signature: signed(EVENT).toUpperCase(),
    sdk: 'rejects',
  },
  {
    name: 'truncated signature',
    body: EVENT,
    signature: signed(EVENT).slice(0, 63),
    sdk: 'rejects',
  },
  { name: 'empty signature', body: EVENT, signature: '', sdk: 'rejects' },
  {
    name: 'signature with another secret',
    body: EVENT,
    signature: streamSignature(EVENT, OTHER_SECRET),
    sdk: 'rejects',
  },
  {
    name: 'signature with a trailing newline',
    body: EVENT,
    signature: `${signed(EVENT)}\n`,
    sdk: 'rejects',
  },
  { name: 'corrupt gzip', body: corruptGzip, signature: signed(corruptGzip), sdk: 'rejects' },
  {
    name: 'truncated gzip',
    body: gzipSync(EVENT).subarray(0, -8),
    signature: signed(EVENT),
    sdk: 'rejects',
  },
  {
    name: 'gzip followed by junk',
    body: Buffer.concat([gzipSync(EVENT), Buffer.from('junk')]),
    signature: signed(EVENT),
    sdk: 'rejects',
  },
  {
    name: 'gzip of gzip, signed over the once-inflated bytes',
    body: gzipSync(gzipSync(EVENT)),
    signature: signed(gzipSync(EVENT)),
    sdk: 'rejects',
  },
  { name: 'empty body', body: Buffer.alloc(0), signature: signed(Buffer.alloc(0)), sdk: 'rejects' },
  {
    name: 'non-JSON body',
    body: Buffer.from('type=message.new'),
    signature: signed(Buffer.from('type=message.new')),
    sdk: 'rejects',
  },
  {
    name: 'truncated JSON',
    body: EVENT.subarray(0, -1),
    signature: signed(EVENT.subarray(0, -1)),
    sdk: 'rejects',
  },
  {
    name: 'JSON after a byte order mark',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), EVENT]),
    signature: signed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), EVENT])),
    sdk: 'rejects',
  },
  ...[
    ['emoji, CJK and RTL text', eventBytes(nonAsciiEvent())],
    ['a non-ASCII event type', eventBytes(eventOfType('custom.événement.😀'))],
    ['invalid UTF-8 bytes in a string', invalidUtf8EventBytes()],
    ['an escaped lone surrogate', Buffer.from('{"type":"message.new","text":"\\ud800x"}')],
    ['surrounding white space', Buffer.from(` \n\t${EVENT.toString()}\r\n `)],
    ['a duplicate key (the last one wins)', Buffer.from('{"type":"a.b","type":"message.new"}')],
    ['a __proto__ key', Buffer.from('{"type":"message.new","__proto__":{"polluted":true}}')],
    ['a number beyond double precision', Buffer.from('{"type":"x.y","n":12345678901234567890}')],
    ['deep nesting', Buffer.from(`{"type":"x.y","v":${'['.repeat(200)}${']'.repeat(200)}}`)],
  ].flatMap(([what, bytes]) => [
    {
      name: `plain body with ${what as string}`,
      body: bytes as Buffer,
      signature: signed(bytes as Buffer),
      sdk: 'accepts' as const,
    },
    {
      name: `gzip body with ${what as string}`,
      body: gzipSync(bytes as Buffer),
      signature: signed(bytes as Buffer),
      sdk: 'accepts' as const,
    },
  ]),
];

/** Signed, valid JSON that the SDK hands back but that is not an event. */
const notAnEventBodies: readonly (readonly [string, string])[] = [
  ['an empty array', '[]'],
  ['an array of events', '[{"type":"message.new"}]'],
  ['a number', '1'],
  ['a string', '"message.new"'],
  ['null', 'null'],
  ['true', 'true'],
  ['an object without type', '{"message":{"id":"m1"}}'],
  ['an empty type', '{"type":""}'],
  ['a numeric type', '{"type":5}'],
  ['a null type', '{"type":null}'],
  ['an object type', '{"type":{"name":"message.new"}}'],
  ['an uppercase Type only', '{"Type":"message.new"}'],
];

describe('webhook path agrees with verifyAndParseWebhook', () => {
  it.each(webhookCases)('$name (SDK $sdk)', async ({ body, signature, sdk: expected }) => {
    // Arrange
    const oracle = sdk(() => verifyAndParseWebhook(body, signature, SECRET));
    expect(oracle.ok ? 'accepts' : 'rejects').toBe(expected);

    // Act
    const result = await ourWebhook(body, signature);

    // Assert
    expectWebhookAgreement(oracle, result, signature);
  });

  it.each(
    notAnEventBodies.flatMap(
      ([what, text]) =>
        [
          [`${what}, plain`, Buffer.from(text)],
          [`${what}, gzip`, gzipSync(Buffer.from(text))],
        ] as const,
    ),
  )(
    'our stricter rule: the SDK returns %s, we answer 400 and queue nothing',
    async (_what, body) => {
      // Arrange
      const signature = signed(gunzipIfGzip(body));
      const oracle = sdk(() => verifyAndParseWebhook(body, signature, SECRET));
      expect(oracle.ok).toBe(true);

      // Act
      const result = await ourWebhook(body, signature);

      // Assert
      expect(result.verdict).toMatchObject({ ok: false, status: 400 });
      expectWebhookAgreement(oracle, result, signature);
    },
  );

  it('our stricter rule: a gzip body inflating past our cap is a 413 where the SDK inflates it', async () => {
    // Arrange
    const big = eventBytes(messageNew({ padding: 'a'.repeat(100_000) }));
    const oracle = sdk(() => verifyAndParseWebhook(gzipSync(big), signed(big), SECRET));
    expect(oracle.ok).toBe(true);

    // Act
    const { verdict, enqueued } = await ourWebhook(gzipSync(big), signed(big), 10_000);

    // Assert
    expect(verdict).toEqual({ ok: false, status: 413, reason: 'inflated_too_large' });
    expect(enqueued).toHaveLength(0);
  });
});

function gunzipIfGzip(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

// ---------------------------------------------------------------------------------------------
// Queue path: decodeQueueMessage vs parseSqs / parseSns
// ---------------------------------------------------------------------------------------------

type QueuePath = 'sqs' | 'sns';

interface QueueCase {
  readonly name: string;
  readonly path: QueuePath;
  readonly body: string;
  readonly sdk: 'accepts' | 'rejects';
}

const SDK_PARSER: Readonly<Record<QueuePath, (body: string) => unknown>> = {
  sqs: parseSqs,
  sns: parseSns,
};

const B64 = b64(EVENT);
const B64_GZIP = b64(gzipSync(EVENT));
const B64_ONE_PAD = b64(eventWithPadding(1));
const B64_TWO_PAD = b64(eventWithPadding(2));
const BOM = '\uFEFF';

const queueCases: readonly QueueCase[] = [
  // SQS: base64 of JSON or of gzip(JSON), strict alphabet, padded.
  { name: 'base64(JSON)', path: 'sqs', body: B64, sdk: 'accepts' },
  { name: 'base64(gzip(JSON))', path: 'sqs', body: B64_GZIP, sdk: 'accepts' },
  { name: 'base64 with one padding character', path: 'sqs', body: B64_ONE_PAD, sdk: 'accepts' },
  { name: 'base64 with two padding characters', path: 'sqs', body: B64_TWO_PAD, sdk: 'accepts' },
  { name: 'base64 using + and /', path: 'sqs', body: base64WithPlusAndSlash(), sdk: 'accepts' },
  {
    name: 'base64(gzip) in several gzip members',
    path: 'sqs',
    body: b64(gzipMembers(EVENT)),
    sdk: 'accepts',
  },
  {
    name: 'base64 of non-ASCII text',
    path: 'sqs',
    body: b64(eventBytes(nonAsciiEvent())),
    sdk: 'accepts',
  },
  {
    name: 'base64(gzip) of non-ASCII text',
    path: 'sqs',
    body: b64(gzipSync(eventBytes(nonAsciiEvent()))),
    sdk: 'accepts',
  },
  {
    name: 'base64 of invalid UTF-8 bytes in a string',
    path: 'sqs',
    body: b64(invalidUtf8EventBytes()),
    sdk: 'accepts',
  },
  {
    name: 'base64 whose unused padding bits are set (decodes to the same bytes)',
    path: 'sqs',
    body: withNonZeroPaddingBits(B64_ONE_PAD),
    sdk: 'accepts',
  },
  {
    name: 'base64 with two padding characters whose unused bits are set',
    path: 'sqs',
    body: withNonZeroPaddingBits(B64_TWO_PAD),
    sdk: 'accepts',
  },
  {
    name: 'a junk character inside the base64',
    path: 'sqs',
    body: insertAt(B64, 8, '!'),
    sdk: 'rejects',
  },
  { name: 'a quote inside the base64', path: 'sqs', body: insertAt(B64, 8, '"'), sdk: 'rejects' },
  {
    name: 'the URL-safe alphabet',
    path: 'sqs',
    body: base64WithPlusAndSlash().replaceAll('+', '-').replaceAll('/', '_'),
    sdk: 'rejects',
  },
  { name: 'missing padding', path: 'sqs', body: B64_TWO_PAD.replace(/=+$/, ''), sdk: 'rejects' },
  {
    name: 'one of two padding characters missing',
    path: 'sqs',
    body: B64_TWO_PAD.slice(0, -1),
    sdk: 'rejects',
  },
  { name: 'padding in the middle', path: 'sqs', body: `${B64_ONE_PAD}${B64}`, sdk: 'rejects' },
  {
    name: 'a line break inside (MIME-wrapped)',
    path: 'sqs',
    body: insertAt(B64, 76, '\n'),
    sdk: 'rejects',
  },
  { name: 'a trailing newline', path: 'sqs', body: `${B64}\n`, sdk: 'rejects' },
  { name: 'a leading space', path: 'sqs', body: ` ${B64}`, sdk: 'rejects' },
  { name: 'a leading byte order mark', path: 'sqs', body: `${BOM}${B64}`, sdk: 'rejects' },
  { name: 'corrupt gzip inside base64', path: 'sqs', body: b64(corruptGzip), sdk: 'rejects' },
  {
    name: 'truncated gzip inside base64',
    path: 'sqs',
    body: b64(gzipSync(EVENT).subarray(0, -8)),
    sdk: 'rejects',
  },
  {
    name: 'gzip followed by junk inside base64',
    path: 'sqs',
    body: b64(Buffer.concat([gzipSync(EVENT), Buffer.from('junk')])),
    sdk: 'rejects',
  },
  { name: 'an empty string', path: 'sqs', body: '', sdk: 'rejects' },
  {
    name: 'base64 of non-JSON text',
    path: 'sqs',
    body: b64(Buffer.from('hello world')),
    sdk: 'rejects',
  },
  {
    name: 'base64 of JSON after a byte order mark',
    path: 'sqs',
    body: b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), EVENT])),
    sdk: 'rejects',
  },
  { name: 'base64 of zero bytes', path: 'sqs', body: 'AAAA', sdk: 'rejects' },
  { name: 'padding only', path: 'sqs', body: '====', sdk: 'rejects' },
  { name: 'a lone padding character', path: 'sqs', body: '=', sdk: 'rejects' },
  { name: 'three padding characters', path: 'sqs', body: 'QQ===', sdk: 'rejects' },
  { name: 'a JSON array', path: 'sqs', body: '[{"type":"message.new"}]', sdk: 'rejects' },

  // SNS: the same string as its Message, in a JSON envelope or already unwrapped.
  { name: 'envelope around base64', path: 'sns', body: envelope(B64), sdk: 'accepts' },
  { name: 'envelope around base64(gzip)', path: 'sns', body: envelope(B64_GZIP), sdk: 'accepts' },
  {
    name: 'envelope around base64 of non-ASCII text',
    path: 'sns',
    body: envelope(b64(eventBytes(nonAsciiEvent()))),
    sdk: 'accepts',
  },
  {
    name: 'minimal envelope {Type, Message}',
    path: 'sns',
    body: JSON.stringify({ Type: 'Notification', Message: B64 }),
    sdk: 'accepts',
  },
  {
    name: 'envelope after white space',
    path: 'sns',
    body: ` \n\t${envelope(B64)}`,
    sdk: 'accepts',
  },
  {
    name: 'envelope after a byte order mark',
    path: 'sns',
    body: `${BOM}${envelope(B64_GZIP)}`,
    sdk: 'accepts',
  },
  {
    name: 'envelope after a byte order mark and white space',
    path: 'sns',
    body: `${BOM}\r\n ${envelope(B64)}`,
    sdk: 'accepts',
  },
  {
    name: 'envelope followed by white space',
    path: 'sns',
    body: `${envelope(B64)}\n`,
    sdk: 'accepts',
  },
  { name: 'unwrapped base64', path: 'sns', body: B64, sdk: 'accepts' },
  { name: 'unwrapped base64(gzip)', path: 'sns', body: B64_GZIP, sdk: 'accepts' },
  {
    name: 'envelope around base64 whose unused padding bits are set',
    path: 'sns',
    body: envelope(withNonZeroPaddingBits(B64_ONE_PAD)),
    sdk: 'accepts',
  },
  { name: 'envelope whose Message is a number', path: 'sns', body: envelope(42), sdk: 'rejects' },
  { name: 'envelope whose Message is null', path: 'sns', body: envelope(null), sdk: 'rejects' },
  {
    name: 'envelope whose Message is the event object',
    path: 'sns',
    body: envelope(messageNew()),
    sdk: 'rejects',
  },
  {
    name: 'envelope whose Message is an array',
    path: 'sns',
    body: envelope([B64]),
    sdk: 'rejects',
  },
  {
    name: 'envelope without a Message',
    path: 'sns',
    body: JSON.stringify({ Type: 'Notification', Subject: B64 }),
    sdk: 'rejects',
  },
  {
    name: 'envelope with a lowercase message',
    path: 'sns',
    body: JSON.stringify({ Type: 'Notification', message: B64 }),
    sdk: 'rejects',
  },
  { name: 'truncated envelope', path: 'sns', body: envelope(B64).slice(0, -2), sdk: 'rejects' },
  { name: 'envelope around an empty Message', path: 'sns', body: envelope(''), sdk: 'rejects' },
  {
    name: 'envelope around base64 with white space',
    path: 'sns',
    body: envelope(` ${B64}`),
    sdk: 'rejects',
  },
  {
    name: 'envelope around URL-safe base64',
    path: 'sns',
    body: envelope(base64WithPlusAndSlash().replaceAll('+', '-').replaceAll('/', '_')),
    sdk: 'rejects',
  },
  {
    name: 'envelope around corrupt gzip',
    path: 'sns',
    body: envelope(b64(corruptGzip)),
    sdk: 'rejects',
  },
  {
    name: 'envelope around base64 of non-JSON',
    path: 'sns',
    body: envelope(b64(Buffer.from('hello'))),
    sdk: 'rejects',
  },
  {
    name: 'envelope around an envelope',
    path: 'sns',
    body: envelope(envelope(B64)),
    sdk: 'rejects',
  },
  { name: 'an array holding an envelope', path: 'sns', body: `[${envelope(B64)}]`, sdk: 'rejects' },
  { name: 'an empty string', path: 'sns', body: '', sdk: 'rejects' },
];

/** Base64 of valid JSON that the SDK hands back but that is not an event. */
const notAnEventQueueBodies: readonly QueueCase[] = notAnEventBodies.flatMap(([what, text]) => [
  {
    name: `base64 of ${what}`,
    path: 'sqs' as const,
    body: b64(Buffer.from(text)),
    sdk: 'accepts' as const,
  },
  {
    name: `envelope around base64(gzip) of ${what}`,
    path: 'sns' as const,
    body: envelope(b64(gzipSync(Buffer.from(text)))),
    sdk: 'accepts' as const,
  },
]);

interface ExtraCase {
  readonly name: string;
  readonly path: QueuePath;
  readonly body: string;
  /** The event we must read, from an independent oracle (JSON.parse or the SDK's parseSns). */
  readonly expected: () => unknown;
}

const RAW = EVENT.toString('utf8');
const RAW_NON_ASCII = eventBytes(nonAsciiEvent()).toString('utf8');

/** Where only we accept: raw JSON, which Stream's Go/Python/PHP/Ruby SDKs expect. */
const extraCases: readonly ExtraCase[] = [
  { name: 'raw JSON event', path: 'sqs', body: RAW, expected: () => JSON.parse(RAW) },
  {
    name: 'raw JSON event with non-ASCII text',
    path: 'sqs',
    body: RAW_NON_ASCII,
    expected: () => JSON.parse(RAW_NON_ASCII),
  },
  {
    name: 'raw JSON event after white space and a byte order mark',
    path: 'sqs',
    body: `${BOM} \n${RAW}`,
    expected: () => JSON.parse(RAW),
  },
  { name: 'raw JSON event, unwrapped', path: 'sns', body: RAW, expected: () => JSON.parse(RAW) },
  {
    name: 'envelope around raw JSON',
    path: 'sns',
    body: envelope(RAW),
    expected: () => JSON.parse(RAW),
  },
  {
    name: 'envelope around raw JSON with non-ASCII text',
    path: 'sns',
    body: envelope(RAW_NON_ASCII),
    expected: () => JSON.parse(RAW_NON_ASCII),
  },
  {
    name: 'envelope around raw JSON after white space',
    path: 'sns',
    body: envelope(`\n ${RAW}`),
    expected: () => JSON.parse(RAW),
  },
  {
    name: 'envelope around base64 reaching the SQS path (SNS -> SQS, no raw delivery)',
    path: 'sqs',
    body: envelope(B64),
    expected: () => parseSns(envelope(B64)),
  },
  {
    name: 'envelope around base64(gzip) reaching the SQS path',
    path: 'sqs',
    body: envelope(B64_GZIP),
    expected: () => parseSns(envelope(B64_GZIP)),
  },
  {
    name: 'envelope after a byte order mark reaching the SQS path',
    path: 'sqs',
    body: `${BOM}${envelope(B64)}`,
    expected: () => parseSns(`${BOM}${envelope(B64)}`),
  },
  {
    name: 'envelope around raw JSON reaching the SQS path',
    path: 'sqs',
    body: envelope(RAW),
    expected: () => JSON.parse(RAW),
  },
];

/** A top-level `Message` in an event: text, or base64 of another event trying to pass as it. */
const INNER_B64 = b64(eventBytes(eventOfType('user.deleted')));

interface EnvelopeCase {
  readonly name: string;
  readonly path: QueuePath;
  readonly body: string;
  /** What the SDK reads: its unwrapped value, or a rejection. */
  readonly sdk: 'unwraps' | 'rejects';
  /** What we read: the outer object itself, or nothing (undecodable). */
  readonly ours: 'outer' | 'undecodable';
}

/**
 * Where we deliberately differ from `parseSns` (and `parseSqs`, which refuses JSON outright): only a
 * real SNS notification is opened. An event's own `Message` field is data, never an envelope.
 */
const envelopeCases: readonly EnvelopeCase[] = [
  {
    name: 'an event with a text Message field',
    path: 'sqs',
    body: JSON.stringify({ type: 'x', Message: 'hello' }),
    sdk: 'rejects',
    ours: 'outer',
  },
  {
    name: 'an event whose Message is base64 of another event (no smuggled type)',
    path: 'sqs',
    body: JSON.stringify({ type: 'outer', Message: INNER_B64 }),
    sdk: 'rejects',
    ours: 'outer',
  },
  {
    name: 'an event whose Message is base64 of another event, read as SNS',
    path: 'sns',
    body: JSON.stringify({ type: 'outer', Message: INNER_B64 }),
    sdk: 'unwraps',
    ours: 'outer',
  },
  {
    name: 'an event that also says Type Notification, with base64 of another event as Message',
    path: 'sns',
    body: JSON.stringify({ Type: 'Notification', type: 'outer', Message: INNER_B64 }),
    sdk: 'unwraps',
    ours: 'outer',
  },
  {
    name: 'an object with only a Message, no Type',
    path: 'sns',
    body: JSON.stringify({ Message: B64_GZIP }),
    sdk: 'unwraps',
    ours: 'undecodable',
  },
  {
    name: 'an object whose Type is not Notification',
    path: 'sns',
    body: JSON.stringify({ Type: 'SubscriptionConfirmation', Message: B64 }),
    sdk: 'unwraps',
    ours: 'undecodable',
  },
];

describe('queue path: only a real SNS notification is an envelope', () => {
  it.each(envelopeCases)('$path: $name (SDK $sdk, we read $ours)', ({ path, body, ...want }) => {
    // Arrange: the SDK's reading, checked so the case documents a real difference.
    const oracle = sdk(() => SDK_PARSER[path](body));
    expect(oracle.ok ? 'unwraps' : 'rejects').toBe(want.sdk);
    if (oracle.ok) expect(oracle.value).not.toStrictEqual(JSON.parse(body));

    // Act
    const event = ours(body);

    // Assert
    if (want.ours === 'outer') expect(event).toStrictEqual({ ok: true, value: JSON.parse(body) });
    else expect(event.ok).toBe(false);
  });

  it('reads an event with a top-level Message as its own type, not as the inner event', () => {
    // Act
    const text = decodeQueueMessage(JSON.stringify({ type: 'x', Message: 'hello' })).event;
    const smuggled = decodeQueueMessage(
      JSON.stringify({ type: 'outer', Message: INNER_B64 }),
    ).event;

    // Assert
    expect(text.type).toBe('x');
    expect(smuggled.type).toBe('outer');
  });
});

describe('queue path agrees with parseSqs / parseSns', () => {
  it.each(queueCases)('$path: $name (SDK $sdk)', ({ path, body, sdk: expected }) => {
    // Arrange
    const oracle = sdk(() => SDK_PARSER[path](body));
    expect(oracle.ok ? 'accepts' : 'rejects').toBe(expected);

    // Act / Assert
    expectQueueAgreement(oracle, body);
  });

  it.each(notAnEventQueueBodies)(
    'our stricter rule, $path: $name decodes to the same value but is not an event',
    ({ path, body }) => {
      // Arrange
      const oracle = sdk(() => SDK_PARSER[path](body));
      expect(oracle.ok).toBe(true);

      // Act
      const event = ours(body);

      // Assert
      expect(event.ok).toBe(false);
      expectQueueAgreement(oracle, body);
    },
  );

  it.each(extraCases)('our documented extra, $path: $name', ({ path, body, expected }) => {
    // Arrange
    const oracle = sdk(() => SDK_PARSER[path](body));
    expect(oracle.ok, 'an extra is something the SDK refuses').toBe(false);

    // Act
    const { event } = decodeQueueMessage(body);

    // Assert
    expect(event).toStrictEqual(expected());
  });

  it('our stricter rule: gzip inflating past our cap is refused where the SDK inflates it', () => {
    // Arrange
    const body = b64(gzipSync(eventBytes(messageNew({ padding: 'a'.repeat(100_000) }))));
    expect(sdk(() => parseSqs(body)).ok).toBe(true);

    // Act / Assert
    expect(() => decodeQueueMessage(body, 10_000)).toThrow(UndecodableMessage);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: generated inputs, same rules
// ---------------------------------------------------------------------------------------------

const knownType = fc.constantFrom(
  'message.new',
  'reaction.new',
  'call.session_started',
  'feeds.activity.added',
  'moderation.flagged',
);
const anyType = fc.oneof(knownType, fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }));
const fields = fc.dictionary(
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.jsonValue({ maxDepth: 3 }),
  {
    maxKeys: 6,
  },
);
/** A random event object: any fields, any (mostly valid) type, text including lone surrogates. */
const randomEvent = fc.tuple(anyType, fields).map(([type, rest]) => ({ ...rest, type }));

/** Bytes a webhook body may hold: events, other JSON, arbitrary text, arbitrary bytes. */
const randomPayload = fc.oneof(
  { weight: 6, arbitrary: randomEvent.map((event) => json(event)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => json(value)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
);

type Tamper =
  'none' | 'body' | 'signature-over-compressed' | 'uppercase' | 'truncated' | 'other-secret';

function webhookInput(
  payload: Buffer,
  compress: boolean,
  tamper: Tamper,
  flipAt: number,
): { body: Buffer; signature: string } {
  let content = payload;
  let signature = signed(payload);
  if (tamper === 'body' && payload.length > 0) {
    content = Buffer.from(payload);
    const at = flipAt % content.length;
    content[at] = (content[at] ?? 0) ^ 0x20;
  }
  const body = compress ? gzipSync(content) : content;
  if (tamper === 'signature-over-compressed') signature = signed(body);
  if (tamper === 'uppercase') signature = signature.toUpperCase();
  if (tamper === 'truncated') signature = signature.slice(0, flipAt % 64);
  if (tamper === 'other-secret') signature = streamSignature(payload, OTHER_SECRET);
  return { body, signature };
}

/**
 * What we must read from a queue body: the SDK's value when `parseSns` (which takes everything
 * `parseSqs` takes) accepts; otherwise our raw-JSON extras, read with plain JSON.parse.
 */
function queueOracle(body: string): SdkVerdict {
  const verdict = sdk(() => parseSns(body));
  const leading = /^[\s\uFEFF]+/;
  const text = body.replace(leading, '');
  if (!text.startsWith('{')) return verdict;
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch {
    return verdict;
  }
  // Our envelope rule (see envelopeCases): anything but a real notification is the event itself.
  const { Type, type, Message: message } = outer as Record<string, unknown>;
  if (Type !== 'Notification' || typeof type === 'string' || typeof message !== 'string') {
    return { ok: true, value: outer };
  }
  if (verdict.ok) return verdict;
  const inner = message.replace(leading, '');
  if (!inner.startsWith('{')) return verdict;
  try {
    return { ok: true, value: JSON.parse(inner) };
  } catch {
    return verdict;
  }
}

const eventJson = randomEvent.map((event) => json(event));
const base64Body = fc.oneof(
  eventJson.map((bytes) => b64(bytes)),
  eventJson.map((bytes) => b64(gzipSync(bytes))),
  fc.jsonValue({ maxDepth: 2 }).map((value) => b64(json(value))),
);
/** Valid base64 bodies with one character inserted, replaced or removed. */
const mutatedBase64 = fc
  .tuple(
    base64Body,
    fc.nat(),
    fc.constantFrom('insert', 'replace', 'delete'),
    fc.constantFrom('!', '-', '_', '=', ' ', '\n', 'A', '/', '+', '{', '\uFEFF'),
  )
  .map(([text, at, how, char]) => {
    const i = at % (text.length + 1);
    if (how === 'insert') return insertAt(text, i, char);
    if (how === 'replace') return text.slice(0, i) + char + text.slice(i + 1);
    return text.slice(0, i) + text.slice(i + 1);
  });
const leadingSpace = fc.constantFrom('', ' ', '\n', '\t', '\uFEFF', '\uFEFF \r\n');
const innerMessage = fc.oneof(
  base64Body,
  mutatedBase64,
  eventJson.map((bytes) => bytes.toString('utf8')),
);
const queueBody = fc.oneof(
  base64Body,
  mutatedBase64,
  fc.base64String(),
  fc.string({ unit: 'grapheme' }),
  fc.tuple(leadingSpace, eventJson).map(([space, bytes]) => space + bytes.toString('utf8')),
  fc.tuple(leadingSpace, innerMessage).map(([space, message]) => space + envelope(message)),
  fc
    .tuple(leadingSpace, fc.jsonValue({ maxDepth: 2 }))
    .map(([space, message]) => space + envelope(message)),
);

describe('properties (fast-check)', () => {
  it(`webhook: ${PROPERTY_RUNS} random events x {plain, gzip} x {valid, tampered} agree with the SDK`, async () => {
    const seen = { accepted: 0, notAnEvent: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(
        randomPayload,
        fc.boolean(),
        fc.constantFrom<Tamper>(
          'none',
          'none',
          'body',
          'signature-over-compressed',
          'uppercase',
          'truncated',
          'other-secret',
        ),
        fc.nat(),
        async (payload, compress, tamper, flipAt) => {
          // Arrange
          const { body, signature } = webhookInput(payload, compress, tamper, flipAt);
          const oracle = sdk(() => verifyAndParseWebhook(body, signature, SECRET));
          if (!oracle.ok) seen.rejected += 1;
          else if (isStreamEvent(oracle.value)) seen.accepted += 1;
          else seen.notAnEvent += 1;

          // Act
          const result = await ourWebhook(body, signature);

          // Assert
          expectWebhookAgreement(oracle, result, signature);
        },
      ),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
    // The generators reach every branch of the rule, not just rejections.
    expect(seen.accepted).toBeGreaterThan(PROPERTY_RUNS / 10);
    expect(seen.notAnEvent).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(PROPERTY_RUNS / 10);
  });

  it(`queue: ${PROPERTY_RUNS} random bodies decode as the SDK (plus our raw-JSON extras) says`, () => {
    const seen = { sdk: 0, extra: 0, rejected: 0 };
    fc.assert(
      fc.property(queueBody, (body) => {
        // Arrange
        const oracle = queueOracle(body);
        if (!oracle.ok) seen.rejected += 1;
        else if (sdk(() => parseSns(body)).ok) seen.sdk += 1;
        else seen.extra += 1;

        // Act
        // Act / Assert
        expectQueueAgreement(oracle, body);
        // Where neither the SDK nor our extras read a value, we refuse while decoding, before the
        // event check.
        const event = ours(body);
        if (!oracle.ok && !event.ok) {
          expect([shapeRefusal({}), shapeRefusal(null)]).not.toContain(event.why);
        }
      }),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
    expect(seen.sdk).toBeGreaterThan(PROPERTY_RUNS / 10);
    expect(seen.extra).toBeGreaterThan(PROPERTY_RUNS / 20);
    expect(seen.rejected).toBeGreaterThan(PROPERTY_RUNS / 10);
  });

  it(`queue: base64 with set padding bits decodes like the SDK, for ${PROPERTY_RUNS} random events`, () => {
    fc.assert(
      fc.property(eventJson, fc.boolean(), (bytes, compress) => {
        // Arrange
        const body = withNonZeroPaddingBits(paddedBase64(bytes, compress));
        const oracle = sdk(() => parseSqs(body));
        expect(oracle.ok).toBe(true);

        // Act / Assert
        expectQueueAgreement(oracle, body);
      }),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
  });
});
