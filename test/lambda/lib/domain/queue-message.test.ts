import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GZIP_ABOVE_BYTES, encodeQueueBody } from '../../../../lambda/lib/domain/queue-message.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../../../contract/limits.js';
import { eventBytes, messageNew } from '../../../fixtures/events.js';

/** An event of about `size` bytes that gzip shrinks a lot (repeated text). */
function compressibleEvent(size: number): Buffer {
  return eventBytes(messageNew({ padding: 'stream events '.repeat(Math.ceil(size / 14)) }));
}

/** Bytes gzip cannot shrink. */
function incompressible(size: number): Buffer {
  return randomBytes(size);
}

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

describe('encodeQueueBody', () => {
  it('sends a small event as plain base64 of the exact bytes', () => {
    // Arrange
    const bytes = eventBytes(messageNew());

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded).toEqual({ body: bytes.toString('base64'), gzipped: false });
  });

  it('keeps plain a body whose base64 is exactly 64 KiB, even when gzip would be smaller', () => {
    // Arrange: 49,152 bytes are 65,536 base64 characters.
    const bytes = Buffer.alloc(49_152, 'a');
    expect(base64Length(bytes.length)).toBe(GZIP_ABOVE_BYTES);

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded?.gzipped).toBe(false);
  });

  it('gzips a body whose base64 is just over 64 KiB when that is smaller', () => {
    // Arrange
    const bytes = Buffer.alloc(49_153, 'a');

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded?.gzipped).toBe(true);
    expect(gunzipSync(Buffer.from(encoded?.body ?? '', 'base64'))).toEqual(bytes);
  });

  it('gzips a large compressible event, and the gzip holds the exact bytes', () => {
    // Arrange
    const bytes = compressibleEvent(200_000);

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded?.gzipped).toBe(true);
    expect(encoded?.body.length).toBeLessThan(bytes.toString('base64').length);
    expect(gunzipSync(Buffer.from(encoded?.body ?? '', 'base64')).equals(bytes)).toBe(true);
  });

  it('writes strict, padded base64 (what Stream sends and its SDKs accept)', () => {
    // Arrange
    const plain = eventBytes(messageNew({ n: 'xy' }));
    const large = compressibleEvent(100_000);

    // Act
    const bodies = [plain, large].map((bytes) => encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES));

    // Assert
    for (const encoded of bodies) {
      expect(encoded?.body).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      expect((encoded?.body.length ?? 1) % 4).toBe(0);
    }
  });

  it('keeps an incompressible large body plain when it fits', () => {
    // Arrange
    const bytes = incompressible(100_000);

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded).toEqual({ body: bytes.toString('base64'), gzipped: false });
  });

  it('gzips a small body that does not fit a small limit plain but fits gzipped', () => {
    // Arrange
    const bytes = compressibleEvent(10_000);
    const maxBytes = 4_096;
    expect(base64Length(bytes.length)).toBeGreaterThan(maxBytes);

    // Act
    const encoded = encodeQueueBody(bytes, maxBytes);

    // Assert
    expect(encoded?.gzipped).toBe(true);
    expect(encoded?.body.length).toBeLessThanOrEqual(maxBytes);
  });

  it('returns null when even the gzipped form exceeds the limit', () => {
    // Arrange
    const bytes = incompressible(10_000);

    // Act
    const encoded = encodeQueueBody(bytes, 4_096);

    // Assert
    expect(encoded).toBeNull();
  });

  it('returns null for an incompressible body just over the SQS limit', () => {
    // Arrange: plain base64 is 4 bytes over 1 MiB; gzip cannot shrink random bytes.
    const bytes = incompressible((SQS_MAX_MESSAGE_BYTES / 4) * 3 + 3);

    // Act
    const encoded = encodeQueueBody(bytes, SQS_MAX_MESSAGE_BYTES);

    // Assert
    expect(encoded).toBeNull();
  });

  it('uses the whole limit: a body whose base64 is exactly the limit is sent', () => {
    // Arrange
    const bytes = incompressible(3_000);
    const maxBytes = base64Length(bytes.length);

    // Act
    const encoded = encodeQueueBody(bytes, maxBytes);

    // Assert
    expect(encoded).toEqual({ body: bytes.toString('base64'), gzipped: false });
  });
});
