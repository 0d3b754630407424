import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { signedRequest } from '../../../../lambda/lib/domain/stream-request-signer.js';
import { signatureMatches } from '../../../../lambda/lib/domain/signature.js';
import { streamSignature } from '../../support/stream-signing.js';

const JSON_BYTES = Buffer.from('{"type":"message.new","message":{"text":"héllo"}}');
const OPTIONS = { apiKey: 'key-1', secret: 'sécret', webhookId: 'wh-1' } as const;

describe('signedRequest', () => {
  it('sends the JSON as it is, with the headers Stream sends but the attempt counter', () => {
    // Act
    const { body, headers } = signedRequest(JSON_BYTES, { ...OPTIONS, gzip: false });

    // Assert
    expect(body).toEqual(JSON_BYTES);
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'X-Api-Key': 'key-1',
      'X-Signature': streamSignature(JSON_BYTES, 'sécret'),
      'X-Webhook-Id': 'wh-1',
    });
  });

  it('gzips the body but signs the uncompressed JSON, as Stream does', () => {
    // Act
    const { body, headers } = signedRequest(JSON_BYTES, { ...OPTIONS, gzip: true });

    // Assert
    expect(gunzipSync(body)).toEqual(JSON_BYTES);
    expect(headers['Content-Encoding']).toBe('gzip');
    expect(headers['X-Signature']).toBe(streamSignature(JSON_BYTES, 'sécret'));
    expect(signatureMatches(JSON_BYTES, headers['X-Signature'] ?? '', ['sécret'])).toBe(true);
  });
});
