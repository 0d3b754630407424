import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hmacHex, signatureMatches } from '../../../../lambda/lib/domain/signature.js';

const SECRET = 'sig-test-secret';
const OTHER_SECRET = 'sig-test-other-secret';
const BODY = Buffer.from('{"type":"message.new","message":{"text":"hi"}}');

describe('hmacHex', () => {
  it('is the lowercase hex HMAC-SHA256 keyed by the secret as UTF-8', () => {
    // Arrange
    const secret = 'sécret-ü';
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(BODY).digest('hex');

    // Act
    const signature = hmacHex(BODY, secret);

    // Assert
    expect(signature).toBe(expected);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('signatureMatches', () => {
  it('accepts the signature of the body under the secret', () => {
    expect(signatureMatches(BODY, hmacHex(BODY, SECRET), [SECRET])).toBe(true);
  });

  it('rejects a signature computed over the compressed bytes', () => {
    // Arrange: Stream signs the uncompressed bytes; the compressed ones are never what we verify.
    const zipped = gzipSync(BODY);

    // Act / Assert
    expect(signatureMatches(BODY, hmacHex(zipped, SECRET), [SECRET])).toBe(false);
    expect(signatureMatches(zipped, hmacHex(BODY, SECRET), [SECRET])).toBe(false);
  });

  it('rejects the signature of a body that was changed by one byte', () => {
    // Arrange
    const signature = hmacHex(BODY, SECRET);
    const tampered = Buffer.from(BODY.toString().replace('hi', 'ho'));

    // Act / Assert
    expect(signatureMatches(tampered, signature, [SECRET])).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(signatureMatches(BODY, hmacHex(BODY, OTHER_SECRET), [SECRET])).toBe(false);
  });

  it.each([
    ['the first', [SECRET, OTHER_SECRET]],
    ['the second', [OTHER_SECRET, SECRET]],
    ['the middle', ['a', SECRET, 'b']],
  ])('accepts a signature made with %s of several active secrets', (_position, secrets) => {
    expect(signatureMatches(BODY, hmacHex(BODY, SECRET), secrets)).toBe(true);
  });

  it('rejects every signature when no secret is active', () => {
    expect(signatureMatches(BODY, hmacHex(BODY, SECRET), [])).toBe(false);
  });

  it.each([
    ['uppercase hex', (s: string) => s.toUpperCase()],
    ['one character short', (s: string) => s.slice(0, -1)],
    ['one character long', (s: string) => `${s}0`],
    ['half length', (s: string) => s.slice(0, 32)],
    ['with a non-hex character', (s: string) => `${s.slice(0, -1)}g`],
    ['with surrounding spaces', (s: string) => ` ${s} `],
    ['with a sha256= prefix', (s: string) => `sha256=${s}`],
    ['base64 instead of hex', (s: string) => Buffer.from(s, 'hex').toString('base64')],
    ['empty', () => ''],
  ])('rejects a signature that is %s', (_shape, reshape) => {
    // Arrange
    const signature = reshape(hmacHex(BODY, SECRET));

    // Act / Assert
    expect(signatureMatches(BODY, signature, [SECRET])).toBe(false);
  });

  it('accepts the signature of an empty body', () => {
    const empty = Buffer.alloc(0);
    expect(signatureMatches(empty, hmacHex(empty, SECRET), [SECRET])).toBe(true);
  });
});
