import { describe, expect, it } from 'vitest';
import { apiGatewayEventFrom } from '../../../../dev/api-gateway-event.js';
import { ConfigError } from '../../../../contract/env/parse.js';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  LAMBDA_INVOKE_PAYLOAD_BYTES,
  SQS_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_BODY_BYTES,
} from '../../../../contract/limits.js';
import { loadVerifierConfig } from '../../../../lambda/lib/config/verifier-config.js';

const ROUTES = [
  {
    group: 'messages',
    patterns: ['message.*', 'reaction.new'],
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/messages',
    fifo: false,
  },
  {
    group: 'calls',
    patterns: ['call.*'],
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/calls.fifo',
    fifo: true,
  },
];

const REQUIRED = {
  ROUTES: JSON.stringify(ROUTES),
  STREAM_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-AbCdEf',
};

describe('loadVerifierConfig', () => {
  it('reads the routing table and the secret id, with the documented defaults', () => {
    expect(loadVerifierConfig({ ...REQUIRED })).toEqual({
      routes: ROUTES,
      secretId: REQUIRED.STREAM_SECRET_ID,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEventBucket: null,
      maxEventAgeSeconds: null,
    });
  });

  it('reads MAX_EVENT_AGE_SECONDS, and treats an empty one as off', () => {
    expect(loadVerifierConfig({ ...REQUIRED, MAX_EVENT_AGE_SECONDS: '300' })).toMatchObject({
      maxEventAgeSeconds: 300,
    });
    expect(loadVerifierConfig({ ...REQUIRED, MAX_EVENT_AGE_SECONDS: '' }).maxEventAgeSeconds).toBe(
      null,
    );
  });

  it.each(['0', '-5', '1.5', '5m'])('refuses MAX_EVENT_AGE_SECONDS=%j at cold start', (raw) => {
    expect(() => loadVerifierConfig({ ...REQUIRED, MAX_EVENT_AGE_SECONDS: raw })).toThrow(
      `environment variable MAX_EVENT_AGE_SECONDS must be a positive integer, got "${raw}"`,
    );
  });

  it('reads the large-event bucket, and treats an empty one as none', () => {
    expect(loadVerifierConfig({ ...REQUIRED, LARGE_EVENT_BUCKET: 'events-bucket' })).toMatchObject({
      largeEventBucket: 'events-bucket',
    });
    expect(loadVerifierConfig({ ...REQUIRED, LARGE_EVENT_BUCKET: '' }).largeEventBucket).toBeNull();
  });

  it("defaults to SQS's 1 MiB message limit", () => {
    expect(SQS_MAX_MESSAGE_BYTES).toBe(1_048_576);
  });

  it('defaults to a body cap whose base64 HTTP API event, with 10 KiB of headers, fits an invoke', () => {
    const event = apiGatewayEventFrom(
      {
        method: 'POST',
        url: `/webhook?${'q'.repeat(1000)}`,
        // API Gateway's HTTP API takes at most 10,240 bytes of request line and headers.
        rawHeaders: ['User-Agent', 'u'.repeat(4000), 'X-Padding', 'p'.repeat(5000)],
        httpVersion: '1.1',
        body: Buffer.alloc(DEFAULT_MAX_BODY_BYTES, 0x8b),
        sourceIp: '203.0.113.9',
        receivedAt: new Date(),
      },
      { routeKey: 'POST /webhook' },
    );

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(
      LAMBDA_INVOKE_PAYLOAD_BYTES,
    );
  });

  it('reads the limits when they are set', () => {
    // Arrange
    const env = {
      ...REQUIRED,
      MAX_BODY_BYTES: '1000',
      MAX_INFLATED_BYTES: '2000',
      MAX_QUEUE_MESSAGE_BYTES: '3000',
    };

    // Act
    const config = loadVerifierConfig(env);

    // Assert
    expect(config).toMatchObject({
      maxBodyBytes: 1000,
      maxInflatedBytes: 2000,
      maxQueueMessageBytes: 3000,
    });
  });

  it('treats an empty limit as unset', () => {
    expect(loadVerifierConfig({ ...REQUIRED, MAX_BODY_BYTES: '' }).maxBodyBytes).toBe(
      DEFAULT_MAX_BODY_BYTES,
    );
  });

  it.each(['ROUTES', 'STREAM_SECRET_ID'])('refuses to start without %s', (name) => {
    // Arrange
    const env: Record<string, string> = { ...REQUIRED };
    delete env[name];

    // Act / Assert
    expect(() => loadVerifierConfig(env)).toThrow(ConfigError);
    expect(() => loadVerifierConfig(env)).toThrow(name);
  });

  it.each(['ROUTES', 'STREAM_SECRET_ID'])('refuses to start with an empty %s', (name) => {
    expect(() => loadVerifierConfig({ ...REQUIRED, [name]: '' })).toThrow(ConfigError);
  });

  it('no longer reads QUEUE_URL: the routing table names every queue', () => {
    // Arrange
    const env: Record<string, string> = { ...REQUIRED, QUEUE_URL: 'https://sqs/old' };
    delete env.ROUTES;

    // Act / Assert
    expect(() => loadVerifierConfig(env)).toThrow('environment variable ROUTES is not set');
  });

  it.each([
    ['not JSON', '[{', 'ROUTES is not JSON'],
    ['an empty table', '[]', 'ROUTES must be a non-empty JSON array'],
    [
      'a group without queueUrl',
      JSON.stringify([{ group: 'a', patterns: ['*'], fifo: false }]),
      'ROUTES[0]',
    ],
  ])('refuses ROUTES that is %s', (_what, routes, message) => {
    expect(() => loadVerifierConfig({ ...REQUIRED, ROUTES: routes })).toThrow(ConfigError);
    expect(() => loadVerifierConfig({ ...REQUIRED, ROUTES: routes })).toThrow(message);
  });

  it.each(['0', '-1', '1.5', 'abc', '1e400', '9007199254740993', ' '])(
    'refuses MAX_BODY_BYTES=%j, naming the variable and the value',
    (raw) => {
      // Act / Assert
      expect(() => loadVerifierConfig({ ...REQUIRED, MAX_BODY_BYTES: raw })).toThrow(ConfigError);
      expect(() => loadVerifierConfig({ ...REQUIRED, MAX_BODY_BYTES: raw })).toThrow(
        `MAX_BODY_BYTES must be a positive integer, got "${raw}"`,
      );
    },
  );

  it.each(['MAX_INFLATED_BYTES', 'MAX_QUEUE_MESSAGE_BYTES'])('checks %s the same way', (name) => {
    expect(() => loadVerifierConfig({ ...REQUIRED, [name]: 'lots' })).toThrow(ConfigError);
  });

  it('never puts the secret id into a limit error', () => {
    // Act
    let message = '';
    try {
      loadVerifierConfig({ ...REQUIRED, MAX_INFLATED_BYTES: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }

    // Assert
    expect(message).toContain('MAX_INFLATED_BYTES');
    expect(message).not.toContain(REQUIRED.STREAM_SECRET_ID);
  });
});
