/**
 * `verifyDelivery` / `acceptDelivery` as plain functions: size, gzip, auth (with a credential
 * source that reloads), the webhook id. The verifier's handler tests run the same code behind
 * API Gateway and SQS; these pin the decisions themselves, one per test.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CredentialsInvalid } from '../../../lambda/lib/domain/api-key-secrets.js';
import {
  acceptDelivery,
  verifyDelivery,
  webhookIdOf,
  type AcceptedDelivery,
  type CredentialSource,
  type DeliveryRequest,
} from '../../../lambda/lib/domain/delivery.js';
import { DeliveryRejected } from '../../../lambda/lib/domain/errors.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import {
  fixedCredentials,
  reloadingCredentials,
  streamSignature,
} from '../support/stream-signing.js';

const API_KEY = 'verify-test-key';
const SECRET = 'verify-test-secret';
const NEW_SECRET = 'verify-test-new-secret';
const LIMITS = { maxBodyBytes: 4096, maxInflatedBytes: 8192 };
const RECEIVED_AT = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
const EVENT = eventBytes(messageNew());

function request(
  body: Buffer,
  headers: Record<string, string | undefined> = {},
  signedWith = SECRET,
): DeliveryRequest {
  return {
    body,
    headers: {
      'x-api-key': API_KEY,
      'x-signature': streamSignature(body, signedWith),
      'x-webhook-id': 'wh-1',
      'x-webhook-attempt': '2',
      ...headers,
    },
    receivedAt: RECEIVED_AT,
  };
}

type Verdict =
  | { readonly ok: true; readonly webhookId: string | null; readonly attempt: number | null }
  | { readonly status: number; readonly reason: string; readonly message: string };

async function verdictOf(
  req: DeliveryRequest,
  credentials: CredentialSource = fixedCredentials({ [API_KEY]: [SECRET] }),
): Promise<Verdict> {
  try {
    const verified = await verifyDelivery(req, { credentials, limits: LIMITS });
    return { ok: true, webhookId: verified.webhookId, attempt: verified.attempt };
  } catch (error) {
    if (!(error instanceof DeliveryRejected)) throw error;
    return { status: error.status, reason: error.reason, message: error.message };
  }
}

const rejected = (status: number, reason: string) => expect.objectContaining({ status, reason });

describe('verifyDelivery: a mismatch with the cached credentials reloads them once', () => {
  it('answers 401 bad_signature when the reloaded credentials reject the signature too', async () => {
    // Arrange: the secret changed in the store, but not to the one this body was signed with.
    const credentials = reloadingCredentials({ [API_KEY]: [SECRET] }, { [API_KEY]: [NEW_SECRET] });

    // Act
    const verdict = await verdictOf(request(EVENT, {}, 'forged-secret'), credentials);

    // Assert
    expect(verdict).toEqual({
      status: 401,
      reason: 'bad_signature',
      message: 'X-Signature does not match the body',
    });
    expect(credentials.refreshes).toBe(1);
  });

  it('accepts a body signed with a secret rotated since the cache was filled', async () => {
    // Arrange
    const credentials = reloadingCredentials({ [API_KEY]: [SECRET] }, { [API_KEY]: [NEW_SECRET] });

    // Act
    const verdict = await verdictOf(request(EVENT, {}, NEW_SECRET), credentials);

    // Assert
    expect(verdict).toMatchObject({ ok: true });
    expect(credentials.refreshes).toBe(1);
  });

  it('answers 401 unknown_api_key when the reloaded credentials do not know the key either', async () => {
    // Arrange
    const credentials = reloadingCredentials({ other: [SECRET] }, { another: [SECRET] });

    // Act
    const verdict = await verdictOf(request(EVENT), credentials);

    // Assert
    expect(verdict).toEqual({
      status: 401,
      reason: 'unknown_api_key',
      message: 'X-Api-Key is not a configured key',
    });
    expect(credentials.refreshes).toBe(1);
  });

  it('accepts a key added to a secret that held none when the container started', async () => {
    // Arrange
    const credentials = reloadingCredentials({}, { [API_KEY]: [SECRET] });

    // Act / Assert
    expect(await verdictOf(request(EVENT), credentials)).toMatchObject({ ok: true });
  });

  it('answers 500 secret_not_configured while the reloaded secret still holds no key', async () => {
    // Arrange
    const credentials = reloadingCredentials({}, {});

    // Act
    const verdict = await verdictOf(request(EVENT), credentials);

    // Assert
    expect(verdict).toEqual({
      status: 500,
      reason: 'secret_not_configured',
      message: 'the Stream secret holds no API key yet',
    });
  });

  it('does not reload when the cached credentials take the signature', async () => {
    // Arrange
    const credentials = reloadingCredentials({ [API_KEY]: [SECRET] }, {});

    // Act
    const verdict = await verdictOf(request(EVENT), credentials);

    // Assert
    expect(verdict).toMatchObject({ ok: true });
    expect(credentials.refreshes).toBe(0);
  });

  it('keeps the 401 when it is too soon to reload', async () => {
    expect(await verdictOf(request(EVENT, {}, 'forged-secret'))).toEqual(
      rejected(401, 'bad_signature'),
    );
  });
});

describe('verifyDelivery: a secret that cannot be read', () => {
  const failing = (where: 'current' | 'refresh', error: Error): CredentialSource => ({
    current: async () => {
      if (where === 'current') throw error;
      return new Map([[API_KEY, [SECRET]]]);
    },
    refresh: async () => {
      throw error;
    },
  });

  it.each(['current', 'refresh'] as const)(
    'answers 503 secret_unavailable when %s() fails, so Stream retries',
    async (where) => {
      // Act
      const verdict = await verdictOf(
        request(EVENT, {}, NEW_SECRET),
        failing(where, new Error('ThrottlingException')),
      );

      // Assert
      expect(verdict).toEqual({
        status: 503,
        reason: 'secret_unavailable',
        message: 'could not read the Stream secret',
      });
    },
  );

  it.each(['current', 'refresh'] as const)(
    'answers 500 secret_not_configured when %s() finds a malformed secret',
    async (where) => {
      // Act
      const verdict = await verdictOf(
        request(EVENT, {}, NEW_SECRET),
        failing(where, new CredentialsInvalid('the secret is not JSON')),
      );

      // Assert
      expect(verdict).toEqual({
        status: 500,
        reason: 'secret_not_configured',
        message: 'the secret is not JSON',
      });
    },
  );
});

describe('verifyDelivery: headers', () => {
  it.each([
    ['no X-Api-Key', { 'x-api-key': undefined }, 'missing_api_key', 'no X-Api-Key header'],
    ['an empty X-Api-Key', { 'x-api-key': '' }, 'missing_api_key', 'no X-Api-Key header'],
    ['no X-Signature', { 'x-signature': undefined }, 'missing_signature', 'no X-Signature header'],
    ['an empty X-Signature', { 'x-signature': '' }, 'missing_signature', 'no X-Signature header'],
    [
      'neither (the key is checked first)',
      { 'x-api-key': undefined, 'x-signature': undefined },
      'missing_api_key',
      'no X-Api-Key header',
    ],
  ])('answers 401 to %s', async (_what, headers, reason, message) => {
    expect(await verdictOf(request(EVENT, headers))).toEqual({ status: 401, reason, message });
  });

  it.each([
    ['absent', undefined, null],
    ['blank', '   ', null],
    ['empty', '', null],
    ['padded', ' wh-1 ', 'wh-1'],
  ])('reads an X-Webhook-Id that is %s as %j', async (_what, header, expected) => {
    // Act
    const verdict = await verdictOf(request(EVENT, { 'x-webhook-id': header }));

    // Assert
    expect(webhookIdOf({ 'x-webhook-id': header })).toBe(expected);
    expect(verdict).toEqual({ ok: true, webhookId: expected, attempt: 2 });
  });
});

describe('verifyDelivery: size and gzip', () => {
  it('takes a body of exactly maxBodyBytes', async () => {
    // Arrange: an event padded to the limit.
    const body = Buffer.alloc(LIMITS.maxBodyBytes, ' ');
    EVENT.copy(body);

    // Act / Assert
    expect(await verdictOf(request(body))).toMatchObject({ ok: true });
  });

  it('answers 413 body_too_large to one byte more, naming both sizes', async () => {
    expect(await verdictOf(request(Buffer.alloc(LIMITS.maxBodyBytes + 1, ' ')))).toEqual({
      status: 413,
      reason: 'body_too_large',
      message: `body is ${LIMITS.maxBodyBytes + 1} bytes, over ${LIMITS.maxBodyBytes}`,
    });
  });

  it('answers 413 inflated_too_large to gzip inflating past maxInflatedBytes', async () => {
    // Arrange
    const big = eventBytes(messageNew({ padding: 'a'.repeat(LIMITS.maxInflatedBytes) }));

    // Act
    const verdict = await verdictOf({ ...request(big), body: gzipSync(big) });

    // Assert
    expect(verdict).toEqual({
      status: 413,
      reason: 'inflated_too_large',
      message: `gzip body inflates past ${LIMITS.maxInflatedBytes} bytes`,
    });
  });

  it('answers 400 bad_gzip to a body of just the gzip magic 1f 8b', async () => {
    expect(await verdictOf(request(Buffer.from([0x1f, 0x8b])))).toEqual({
      status: 400,
      reason: 'bad_gzip',
      message: 'gzip body is corrupt or truncated',
    });
  });

  it('takes a body starting with 1f but not 1f 8b as not gzip: unsigned, it is a 401', async () => {
    // Arrange
    const body = Buffer.concat([Buffer.from([0x1f, 0x00]), EVENT]);

    // Act / Assert
    expect(await verdictOf(request(body, {}, 'forged-secret'))).toEqual(
      rejected(401, 'bad_signature'),
    );
  });

  it('takes a body starting with 1f but not 1f 8b as not gzip: signed, it is bad JSON', async () => {
    expect(await verdictOf(request(Buffer.concat([Buffer.from([0x1f]), EVENT])))).toEqual(
      rejected(400, 'bad_json'),
    );
  });
});

describe('acceptDelivery', () => {
  it('queues the verified event with its metadata and answers with the groups it went to', async () => {
    // Arrange
    const queued: AcceptedDelivery[] = [];
    const deps = {
      credentials: fixedCredentials({ [API_KEY]: [SECRET] }),
      limits: LIMITS,
      enqueue: async (delivery: AcceptedDelivery) => {
        queued.push(delivery);
        return { groups: ['all', 'messages'] };
      },
    };

    // Act
    const result = await acceptDelivery({ ...request(EVENT), body: gzipSync(EVENT) }, deps);

    // Assert
    const expected = {
      eventBytes: EVENT,
      event: JSON.parse(EVENT.toString('utf8')),
      eventType: 'message.new',
      webhookId: 'wh-1',
      attempt: 2,
      receivedAt: RECEIVED_AT,
    };
    expect(queued).toEqual([expected]);
    expect(result).toEqual({ ...expected, groups: ['all', 'messages'] });
  });
});
