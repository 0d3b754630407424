import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_ENV_NAMES,
  consumerEnv,
  readConsumerEnv,
  type ConsumerSettings,
} from '../../../contract/env/consumer.js';
import { ConfigError } from '../../../contract/env/parse.js';
import {
  PROPERTY,
  bucket,
  groupName,
  nonEmptyText,
  patterns,
  positiveInteger,
} from './settings-arbitraries.js';

const settings: fc.Arbitrary<ConsumerSettings> = fc.record({
  group: groupName,
  patterns,
  ordering: fc.constantFrom('none' as const, 'per-entity' as const),
  idempotencyTable: nonEmptyText,
  dedupeTtlSeconds: positiveInteger,
  maxInflatedBytes: positiveInteger,
  largeEventBucket: bucket,
});

const EXAMPLE: ConsumerSettings = {
  group: 'chat',
  patterns: ['message.*', 'reaction.new'],
  ordering: 'per-entity',
  idempotencyTable: 'stream-events-claims',
  dedupeTtlSeconds: 86_400,
  maxInflatedBytes: 16_777_216,
  largeEventBucket: 'large-events',
};

describe('the consumer environment', () => {
  it('reads back every setting it writes', () => {
    fc.assert(
      fc.property(settings, (written) => {
        expect(readConsumerEnv(consumerEnv(written))).toEqual(written);
      }),
      PROPERTY,
    );
  });

  it('writes only the names it declares, and the bucket only when there is one', () => {
    expect(Object.keys(consumerEnv(EXAMPLE)).sort()).toEqual([...CONSUMER_ENV_NAMES].sort());
    expect(Object.keys(consumerEnv({ ...EXAMPLE, largeEventBucket: null }))).not.toContain(
      'LARGE_EVENT_BUCKET',
    );
  });

  it('names the service for Powertools and logs at INFO', () => {
    expect(consumerEnv(EXAMPLE)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'stream-events-consumer',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('refuses to read without the claims table', () => {
    const env: Record<string, string> = consumerEnv(EXAMPLE);
    delete env.IDEMPOTENCY_TABLE;

    expect(() => readConsumerEnv(env)).toThrow(
      new ConfigError('environment variable IDEMPOTENCY_TABLE is not set'),
    );
  });

  it.each([
    ['message.*', 'CONSUMER_PATTERNS is not JSON'],
    ['[]', 'CONSUMER_PATTERNS must be a non-empty JSON array of event patterns'],
  ])('refuses CONSUMER_PATTERNS=%s', (raw, message) => {
    expect(() => readConsumerEnv({ ...consumerEnv(EXAMPLE), CONSUMER_PATTERNS: raw })).toThrow(
      new ConfigError(message),
    );
  });

  it('refuses an ordering it does not know', () => {
    expect(() => readConsumerEnv({ ...consumerEnv(EXAMPLE), ORDERING: 'fifo' })).toThrow(
      new ConfigError('ORDERING must be "none" or "per-entity", got "fifo"'),
    );
  });
});
