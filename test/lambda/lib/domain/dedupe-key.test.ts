import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeQueueMessage } from '../../../../lambda/lib/domain/decode.js';
import { dedupeKey } from '../../../../lambda/lib/domain/dedupe-key.js';
import { eventBytes, messageNew, nonAsciiEvent } from '../../../fixtures/events.js';
import { snsEnvelope } from '../../support/sqs-event.js';

const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('dedupeKey', () => {
  const bytes = eventBytes(messageNew());

  it('is the SHA-256 hex of the event bytes: what the signature covers, never a header', () => {
    expect(dedupeKey(bytes)).toBe(sha256Hex(bytes));
    expect(dedupeKey(bytes)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for events that differ in one byte', () => {
    const other = eventBytes(messageNew({ message_id: 'msg-2' }));
    expect(dedupeKey(other)).not.toBe(dedupeKey(bytes));
  });

  it('is the same for one event whichever way Stream delivered it', () => {
    // Arrange
    const json = eventBytes(nonAsciiEvent());
    const bodies = [
      json.toString('utf8'),
      json.toString('base64'),
      gzipSync(json).toString('base64'),
      snsEnvelope(json.toString('utf8')),
      snsEnvelope(json.toString('base64')),
      snsEnvelope(gzipSync(json).toString('base64')),
    ];

    // Act
    const keys = bodies.map((body) => dedupeKey(decodeQueueMessage(body).bytes));

    // Assert
    expect(new Set(keys)).toEqual(new Set([sha256Hex(json)]));
  });
});
