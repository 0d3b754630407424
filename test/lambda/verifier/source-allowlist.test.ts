/**
 * The source-IP allowlist at the edge of both HTTP functions: a caller outside it gets 403
 * `source_ip_not_allowed` before any secret is fetched, anything is queued or user code runs.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSyncHookHandler } from '../../../lambda/sync-hooks/handler.js';
import type { CredentialSource, Enqueue } from '../../../lambda/lib/domain/delivery.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { parseCidr, sourceIpAllowlist } from '../../../lambda/lib/domain/source-ip.js';
import type { BeforeMessageSendHook } from '../../../lambda/lib/domain/sync-hooks.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { API_KEY, SECRET, hookEvent } from '../sync-hooks/support.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { streamSignature } from '../support/stream-signing.js';

const LIMITS = { maxBodyBytes: 6_000_000, maxInflatedBytes: 16 * 1024 * 1024 };
const STREAM_IP = '34.225.10.29';
const OTHER_IP = '198.51.100.23';
// Built in each test, not at import: code run at import time cannot be tied to the tests that
// reach it, which makes every mutant of it cost the whole suite under `npm run mutation`.
const allowed = () => sourceIpAllowlist([`${STREAM_IP}/32`, '2001:db8::/32'].map(parseCidr));

let logs: LogCapture;
let credentialReads: number;
let credentials: CredentialSource;
let enqueue: ReturnType<typeof vi.fn<Enqueue>>;

beforeEach(() => {
  logs = captureLogs();
  credentialReads = 0;
  credentials = {
    current: async () => {
      credentialReads += 1;
      return new Map([[API_KEY, [SECRET]]]);
    },
    refresh: async () => null,
  };
  enqueue = vi.fn<Enqueue>(async () => ({ groups: ['all'] }));
});

afterEach(() => {
  logs.restore();
});

function signedWebhook(sourceIp: string): APIGatewayProxyEventV2 {
  const body = eventBytes(messageNew());
  const signature = streamSignature(body, SECRET);
  return webhookEvent({
    body,
    sourceIp,
    headers: { 'x-api-key': API_KEY, 'x-signature': signature, 'x-webhook-id': 'wh-1' },
  });
}

describe('the verifier with an allowlist', () => {
  const verifier = () =>
    createVerifierHandler({
      logger: createLogger('allowlist-test'),
      credentials,
      enqueue,
      limits: LIMITS,
      sourceAllowed: allowed(),
    });

  it('queues a signed delivery from an allowed address', async () => {
    const response = await verifier()(signedWebhook(STREAM_IP));

    expect(response.statusCode).toBe(200);
    expect(enqueue).toHaveBeenCalledOnce();
  });

  it('answers 403 to a correctly signed delivery from another address, before reading secrets', async () => {
    const response = await verifier()(signedWebhook(OTHER_IP));

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body ?? 'null')).toEqual({
      error: 'source_ip_not_allowed',
      message: `source IP ${OTHER_IP} is not in the allowlist`,
    });
    expect(credentialReads).toBe(0);
    expect(enqueue).not.toHaveBeenCalled();
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        msg: 'webhook rejected',
        status: 403,
        reason: 'source_ip_not_allowed',
        detail: `source IP ${OTHER_IP} is not in the allowlist`,
        webhook_id: 'wh-1',
      }),
    ]);
  });

  it('matches IPv6 sources against IPv6 networks', async () => {
    expect((await verifier()(signedWebhook('2001:db8::7'))).statusCode).toBe(200);
    expect((await verifier()(signedWebhook('2001:db9::7'))).statusCode).toBe(403);
  });

  it('accepts any source when no allowlist is configured (the default, and `npm run dev`)', async () => {
    const open = createVerifierHandler({
      logger: createLogger('allowlist-test'),
      credentials,
      enqueue,
      limits: LIMITS,
    });

    expect((await open(signedWebhook(OTHER_IP))).statusCode).toBe(200);
  });
});

describe('the hook function with an allowlist', () => {
  const beforeMessageSend = vi.fn<BeforeMessageSendHook>(() => ({ action: 'pass' }));
  const hooks = () =>
    createSyncHookHandler({
      logger: createLogger('allowlist-test'),
      credentials,
      limits: LIMITS,
      hooks: { beforeMessageSend },
      sourceAllowed: allowed(),
    });
  const from = (sourceIp: string): APIGatewayProxyEventV2 => {
    const event = hookEvent({
      path: '/hooks/before-message-send',
      body: { message: { id: 'm1', text: 'hi' } },
    });
    return {
      ...event,
      requestContext: {
        ...event.requestContext,
        http: { ...event.requestContext.http, sourceIp },
      },
    };
  };

  beforeEach(() => beforeMessageSend.mockClear());

  it('runs the user hook for an allowed address', async () => {
    const response = await hooks()(from(STREAM_IP));

    expect(response.statusCode).toBe(200);
    expect(beforeMessageSend).toHaveBeenCalledOnce();
  });

  it('answers 403 to another address without reading secrets or running user code', async () => {
    const response = await hooks()(from(OTHER_IP));

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body ?? 'null')).toMatchObject({ error: 'source_ip_not_allowed' });
    expect(credentialReads).toBe(0);
    expect(beforeMessageSend).not.toHaveBeenCalled();
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        msg: 'hook rejected',
        hook: 'before-message-send',
        status: 403,
        reason: 'source_ip_not_allowed',
      }),
    ]);
  });
});
