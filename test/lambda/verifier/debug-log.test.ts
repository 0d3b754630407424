/**
 * The verifier's per-event debug line is only built when it prints (see `debugEnabled`): it must
 * still print, unchanged, at DEBUG, and nothing may print at the default level.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Enqueue } from '../../../lambda/lib/domain/delivery.js';
import { createLogger, debugEnabled } from '../../../lambda/lib/adapters/logger.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'debug-log-test-key';
const SECRET = 'debug-log-test-secret';
const WEBHOOK_ID = 'debug-log-webhook-id';
const credentials = fixedCredentials({ [API_KEY]: [SECRET] });
const toArchive: Enqueue = async () => ({ groups: ['archive'] });

let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

function signedMessageNew() {
  const body = eventBytes(messageNew());
  return webhookEvent({
    body,
    headers: {
      'X-Api-Key': API_KEY,
      'X-Signature': streamSignature(body, SECRET),
      'X-Webhook-Id': WEBHOOK_ID,
    },
  });
}

async function deliverAt(level: 'DEBUG' | 'TRACE' | 'INFO'): Promise<number> {
  const logger = createLogger('stream-events-verifier-test');
  logger.setLogLevel(level);
  const handler = createVerifierHandler({
    logger,
    credentials,
    enqueue: toArchive,
    limits: { maxBodyBytes: 1_000_000, maxInflatedBytes: 1_000_000 },
  });
  return (await handler(signedMessageNew())).statusCode ?? 0;
}

describe('verifier debug line', () => {
  it.each(['DEBUG', 'TRACE'] as const)(
    'prints "webhook queued" with type, webhook_id and groups at %s',
    async (level) => {
      // Act
      const status = await deliverAt(level);

      // Assert
      expect(status).toBe(200);
      expect(logs.lines()).toEqual([
        expect.objectContaining({
          level: 'DEBUG',
          msg: 'webhook queued',
          type: 'message.new',
          webhook_id: WEBHOOK_ID,
          groups: ['archive'],
        }),
      ]);
    },
  );

  it('prints nothing for a queued event at INFO', async () => {
    // Act
    const status = await deliverAt('INFO');

    // Assert
    expect(status).toBe(200);
    expect(logs.lines()).toEqual([]);
  });
});

describe('debugEnabled', () => {
  it.each([
    ['TRACE', true],
    ['DEBUG', true],
    ['INFO', false],
    ['WARN', false],
    ['ERROR', false],
    ['SILENT', false],
  ] as const)('is %s → %s, exactly when Powertools prints a debug line', (level, expected) => {
    // Arrange
    const logger = createLogger('debug-enabled-test');
    logger.setLogLevel(level);

    // Act
    logger.debug('probe');

    // Assert: the answer agrees with what Powertools itself did.
    expect(debugEnabled(logger)).toBe(expected);
    expect(logs.lines().some((line) => line.msg === 'probe')).toBe(expected);
  });
});
