/**
 * `decodeQueueMessage` keeps the bytes the event was parsed from: the bytes Stream signed, the
 * same whichever way the event travelled. (Which bodies decode, and to what, is held against
 * Stream's SDK in decoder-agreement.test.ts.)
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as decode from '../../../../lambda/lib/domain/decode.js';
import { decodeQueueMessage } from '../../../../lambda/lib/domain/decode.js';
import { UndecodableMessage } from '../../../../lambda/lib/domain/errors.js';
import { eventBytes, invalidUtf8EventBytes, nonAsciiEvent } from '../../../fixtures/events.js';
import { snsEnvelope } from '../../support/sqs-event.js';

const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('decodeQueueMessage', () => {
  it('is the one way to read a queue body: the consumer and the tests decode alike', () => {
    expect(Object.keys(decode)).toEqual(['decodeQueueMessage']);
  });

  const event = nonAsciiEvent();
  const json = eventBytes(event);
  const forms: ReadonlyArray<readonly [string, string]> = [
    ['raw JSON', json.toString('utf8')],
    ['base64(JSON)', json.toString('base64')],
    ['base64(gzip(JSON))', gzipSync(json).toString('base64')],
    ['an SNS envelope around raw JSON', snsEnvelope(json.toString('utf8'))],
    ['an SNS envelope around base64(JSON)', snsEnvelope(json.toString('base64'))],
    ['an SNS envelope around base64(gzip(JSON))', snsEnvelope(gzipSync(json).toString('base64'))],
  ];

  it.each(forms)('gives the event and the exact JSON bytes from %s', (_form, body) => {
    // Act
    const decoded = decodeQueueMessage(body);

    // Assert
    expect(decoded.event).toEqual(event);
    expect(decoded.bytes.equals(json)).toBe(true);
  });

  it('gives one SHA-256 for the event across every form', () => {
    const hashes = forms.map(([, body]) => sha256Hex(decodeQueueMessage(body).bytes));
    expect(new Set(hashes)).toEqual(new Set([sha256Hex(json)]));
  });

  it('keeps bytes that are not UTF-8 as they were, not as their replacement', () => {
    // Arrange: only the base64 forms can carry them.
    const bytes = invalidUtf8EventBytes();

    // Act
    const decoded = decodeQueueMessage(gzipSync(bytes).toString('base64'));

    // Assert
    expect(decoded.bytes.equals(bytes)).toBe(true);
    expect(decoded.event.type).toBe('message.new');
  });

  it('starts the bytes of raw JSON at its first brace', () => {
    expect(decodeQueueMessage(`\n  ${json.toString('utf8')}`).bytes.equals(json)).toBe(true);
  });

  const NOT_BASE64 = 'body is neither JSON nor canonical base64';
  const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

  it.each([
    ['an object without type', '{"message":{"id":"m1"}}', 'event has no string "type"'],
    ['an object with an empty type', '{"type":""}', 'event has no string "type"'],
    ['base64 of an array', b64('[{"type":"message.new"}]'), 'event is not a JSON object'],
    ['base64 of null', b64('null'), 'event is not a JSON object'],
    ['base64 of a string', b64('"message.new"'), 'event is not a JSON object'],
    ['text', 'not an event', NOT_BASE64],
    ['base64 of the wrong length', 'e30', NOT_BASE64],
    ['base64 with a character outside the alphabet', 'e3!=', NOT_BASE64],
    ['non-canonical base64 (too much padding)', 'QQ===', NOT_BASE64],
    ['base64 with padding inside', `${b64('{}')}${b64('{}')}`, NOT_BASE64],
    ['broken raw JSON', '{"type":"message.new"', 'event is not valid JSON'],
    ['base64 of broken JSON', b64('{"type":'), 'event is not valid JSON'],
    [
      'base64 of corrupt gzip',
      b64(gzipSync(json).subarray(0, -8)),
      'gzip body is corrupt or truncated',
    ],
    ['an SNS envelope around text', snsEnvelope('hello'), NOT_BASE64],
  ])('throws UndecodableMessage for %s, saying why', (_what, body, message) => {
    expect(() => decodeQueueMessage(body)).toThrow(UndecodableMessage);
    expect(() => decodeQueueMessage(body)).toThrow(message);
  });

  it('refuses gzip inflating past the cap it is given, naming the cap', () => {
    // Arrange
    const padded = eventBytes({ ...event, padding: 'a'.repeat(5_000) });
    const body = gzipSync(padded).toString('base64');
    const cap = padded.length - 1;

    // Act / Assert
    expect(decodeQueueMessage(body, padded.length).bytes.equals(padded)).toBe(true);
    expect(() => decodeQueueMessage(body, cap)).toThrow(UndecodableMessage);
    expect(() => decodeQueueMessage(body, cap)).toThrow(`gzip body inflates past ${cap} bytes`);
  });
});
