/**
 * `decodeQueueMessage` keeps the bytes the event was parsed from: the bytes Stream signed, the
 * same whichever way the event travelled. (Which bodies decode, and to what, is held against
 * Stream's SDK in decoder-agreement.test.ts.)
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeQueueMessage } from '../../../lambda/lib/decode.js';
import { UndecodableMessage } from '../../../lambda/lib/errors.js';
import { eventBytes, invalidUtf8EventBytes, nonAsciiEvent } from '../../fixtures/events.js';
import { snsEnvelope } from '../support/sqs-event.js';

const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('decodeQueueMessage', () => {
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

  it.each([
    ['not an event', '{"message":{"id":"m1"}}'],
    ['not decodable', 'not an event'],
  ])('throws UndecodableMessage for a body that is %s', (_what, body) => {
    expect(() => decodeQueueMessage(body)).toThrow(UndecodableMessage);
  });
});
