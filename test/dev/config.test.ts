import { describe, expect, it } from 'vitest';
import { devConfigFrom, DevConfigError } from '../../dev/config.js';
import { readyMessage } from '../../dev/ready-message.js';

const PIPELINE = {
  webhookUrl: 'http://127.0.0.1:3000/webhook',
  sqsEndpoint: 'http://127.0.0.1:9324',
  dynamoDbEndpoint: 'http://127.0.0.1:45678',
  idempotencyTable: 'stream-events-idempotency',
  queues: {
    messages: {
      queueUrl: 'http://q/stream-events-messages',
      dlqUrl: 'http://q/stream-events-messages-dlq',
      patterns: ['message.*'],
    },
    rest: {
      queueUrl: 'http://q/stream-events-rest',
      dlqUrl: 'http://q/stream-events-rest-dlq',
      patterns: ['*'],
    },
  },
};

describe('devConfigFrom', () => {
  it('uses the documented defaults on an empty environment', () => {
    const config = devConfigFrom({});

    expect(config).toEqual({
      options: {
        port: 3000,
        sqsPort: 9324,
        dynamoDbPort: 0,
        batchSize: 10,
        visibilityTimeoutSeconds: 30,
        maxReceiveCount: 5,
        apiKey: 'dev-api-key',
        apiSecret: 'dev-api-secret',
      },
      secretFromEnv: false,
    });
  });

  it('reads ports, batch, visibility, receives and credentials from the environment', () => {
    const env = {
      PORT: '0',
      SQS_PORT: '9400',
      DYNAMODB_PORT: '8000',
      BATCH_SIZE: '3',
      VISIBILITY_TIMEOUT: '5',
      MAX_RECEIVE_COUNT: '2',
      STREAM_API_KEY: 'key',
      STREAM_API_SECRET: 'secret',
    };

    const config = devConfigFrom(env);

    expect(config.options).toMatchObject({
      port: 0,
      sqsPort: 9400,
      dynamoDbPort: 8000,
      batchSize: 3,
      visibilityTimeoutSeconds: 5,
      maxReceiveCount: 2,
      apiKey: 'key',
      apiSecret: 'secret',
    });
    expect(config.secretFromEnv).toBe(true);
  });

  it('reads the hook budget from HOOK_BUDGET_MS, and leaves the default to the pipeline', () => {
    expect(devConfigFrom({ HOOK_BUDGET_MS: '250' }).options.hookBudgetMs).toBe(250);
    expect(devConfigFrom({}).options).not.toHaveProperty('hookBudgetMs');
  });

  it.each([
    ['HOOK_BUDGET_MS', '5001'],
    ['PORT', '70000'],
    ['DYNAMODB_PORT', '-1'],
    ['BATCH_SIZE', '11'],
    ['VISIBILITY_TIMEOUT', '0'],
    ['MAX_RECEIVE_COUNT', 'five'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => devConfigFrom({ [name]: value })).toThrow(DevConfigError);
  });
});

describe('readyMessage', () => {
  it('lists every group with its queue, DLQ and patterns, and the claims store', () => {
    const line = readyMessage(PIPELINE, {
      apiKey: 'dev-api-key',
      apiSecret: 'dev-api-secret',
      secretFromEnv: false,
    });

    expect(line).toEqual({
      msg: 'dev pipeline ready',
      webhook_url: 'http://127.0.0.1:3000/webhook',
      sqs_endpoint: 'http://127.0.0.1:9324',
      queues: {
        messages: {
          queue_url: 'http://q/stream-events-messages',
          dlq_url: 'http://q/stream-events-messages-dlq',
          patterns: ['message.*'],
        },
        rest: {
          queue_url: 'http://q/stream-events-rest',
          dlq_url: 'http://q/stream-events-rest-dlq',
          patterns: ['*'],
        },
      },
      dynamodb_endpoint: 'http://127.0.0.1:45678',
      idempotency_table: 'stream-events-idempotency',
      api_key: 'dev-api-key',
      api_secret: 'dev-api-secret',
    });
  });

  it('prints the dev default secret so `send` can use it', () => {
    const line = readyMessage(PIPELINE, {
      apiKey: 'dev-api-key',
      apiSecret: 'dev-api-secret',
      secretFromEnv: false,
    });

    expect(line.api_secret).toBe('dev-api-secret');
  });

  it('never prints a secret that came from STREAM_API_SECRET', () => {
    const line = readyMessage(PIPELINE, {
      apiKey: 'k',
      apiSecret: 'real-secret',
      secretFromEnv: true,
    });

    expect(line.api_secret).toBe('(from STREAM_API_SECRET)');
    expect(JSON.stringify(line)).not.toContain('real-secret');
  });
});
