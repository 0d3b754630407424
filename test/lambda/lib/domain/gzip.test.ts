import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CorruptGzip,
  InflatedTooLarge,
  inflateIfGzip,
  isGzip,
} from '../../../../lambda/lib/domain/gzip.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../../contract/limits.js';
import { errorOf } from '../../support/error-of.js';

const JSON_BYTES = Buffer.from('{"type":"message.new","text":"hello"}');

describe('isGzip', () => {
  it.each([
    ['gzip output', gzipSync(JSON_BYTES), true],
    ['the two magic bytes alone', Buffer.from([0x1f, 0x8b]), true],
    ['JSON', JSON_BYTES, false],
    ['one magic byte', Buffer.from([0x1f]), false],
    ['the first magic byte, then another', Buffer.from([0x1f, 0x00, 0x8b]), false],
    ['another byte, then the second magic byte', Buffer.from([0x00, 0x8b]), false],
    ['the magic bytes swapped', Buffer.from([0x8b, 0x1f, 0x08]), false],
    ['nothing', Buffer.alloc(0), false],
  ])('%s -> %s', (_what, bytes, expected) => {
    expect(isGzip(bytes)).toBe(expected);
  });
});

describe('inflateIfGzip', () => {
  it('returns non-gzip bytes untouched (the same buffer)', () => {
    expect(inflateIfGzip(JSON_BYTES)).toBe(JSON_BYTES);
  });

  it('inflates gzip to the exact original bytes', () => {
    expect(inflateIfGzip(gzipSync(JSON_BYTES)).equals(JSON_BYTES)).toBe(true);
  });

  it('inflates several concatenated gzip members to their concatenation (RFC 1952)', () => {
    // Arrange
    const body = Buffer.concat([
      gzipSync(JSON_BYTES.subarray(0, 10)),
      gzipSync(JSON_BYTES.subarray(10)),
    ]);

    // Act / Assert
    expect(inflateIfGzip(body).equals(JSON_BYTES)).toBe(true);
  });

  it('caps a gzip bomb at maxBytes instead of inflating it', () => {
    // Arrange: 64 MiB of zeros compress to about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));

    // Act
    const error = errorOf(() => inflateIfGzip(bomb, 1024 * 1024));

    // Assert
    expect(error).toBeInstanceOf(InflatedTooLarge);
    expect(error).toMatchObject({
      name: 'InflatedTooLarge',
      message: `gzip body inflates past ${1024 * 1024} bytes`,
    });
  });

  it('caps at 16 MiB by default', () => {
    // Arrange
    const bomb = gzipSync(Buffer.alloc(DEFAULT_MAX_INFLATED_BYTES + 1));

    // Act / Assert
    expect(DEFAULT_MAX_INFLATED_BYTES).toBe(16 * 1024 * 1024);
    expect(errorOf(() => inflateIfGzip(bomb))).toBeInstanceOf(InflatedTooLarge);
  });

  it('inflates a body of exactly maxBytes', () => {
    // Arrange
    const bytes = Buffer.alloc(4096, 'x');

    // Act / Assert
    expect(inflateIfGzip(gzipSync(bytes), 4096).length).toBe(4096);
  });

  it('refuses a body one byte over maxBytes', () => {
    const bytes = Buffer.alloc(4097, 'x');
    expect(errorOf(() => inflateIfGzip(gzipSync(bytes), 4096))).toBeInstanceOf(InflatedTooLarge);
  });

  it.each([
    ['magic bytes then junk', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('junk junk')])],
    ['the magic bytes alone', Buffer.from([0x1f, 0x8b])],
    ['a truncated stream', gzipSync(JSON_BYTES).subarray(0, -6)],
    ['a flipped byte in the deflate data', flipByte(gzipSync(JSON_BYTES), 12)],
    ['a wrong CRC', flipByte(gzipSync(JSON_BYTES), -6)],
    ['trailing junk after the member', Buffer.concat([gzipSync(JSON_BYTES), Buffer.from('junk')])],
  ])('refuses %s as CorruptGzip', (_what, body) => {
    // Act
    const error = errorOf(() => inflateIfGzip(body));

    // Assert
    expect(error).toBeInstanceOf(CorruptGzip);
    expect(error).toMatchObject({
      name: 'CorruptGzip',
      message: 'gzip body is corrupt or truncated',
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}
