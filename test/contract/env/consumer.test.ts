import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_ENV_NAMES,
  consumerEnv,
  readConsumerEnv,
  type ConsumerSettings,
} from '../../../contract/env/consumer.js';
import { ConfigError } from '../../../contract/env/parse.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../contract/limits.js';
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

const TABLE = { IDEMPOTENCY_TABLE: 'stream-events-claims' };

describe('readConsumerEnv', () => {
  it('defaults to the single group "all" taking every event, unordered, 24 h dedupe, 16 MiB cap', () => {
    expect(readConsumerEnv({ ...TABLE })).toEqual({
      group: 'all',
      patterns: ['*'],
      ordering: 'none',
      idempotencyTable: 'stream-events-claims',
      dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      largeEventBucket: null,
    });
    expect(DEFAULT_DEDUPE_TTL_SECONDS).toBe(86_400);
  });

  it('reads every variable the stack sets', () => {
    // Arrange
    const env = {
      ...TABLE,
      CONSUMER_GROUP: 'chat',
      CONSUMER_PATTERNS: '["message.*","reaction.new"]',
      ORDERING: 'per-entity',
      DEDUPE_TTL_SECONDS: '3600',
      MAX_INFLATED_BYTES: '1024',
      LARGE_EVENT_BUCKET: 'events-bucket',
    };

    // Act
    const config = readConsumerEnv(env);

    // Assert
    expect(config).toEqual({
      group: 'chat',
      patterns: ['message.*', 'reaction.new'],
      ordering: 'per-entity',
      idempotencyTable: 'stream-events-claims',
      dedupeTtlSeconds: 3600,
      maxInflatedBytes: 1024,
      largeEventBucket: 'events-bucket',
    });
  });

  it('treats empty optional values as unset', () => {
    expect(
      readConsumerEnv({ ...TABLE, CONSUMER_GROUP: '', CONSUMER_PATTERNS: '', ORDERING: '' }),
    ).toMatchObject({ group: 'all', patterns: ['*'], ordering: 'none' });
  });

  it('refuses to start without the idempotency table: no consumer runs without dedupe', () => {
    expect(() => readConsumerEnv({})).toThrow(ConfigError);
    expect(() => readConsumerEnv({})).toThrow('IDEMPOTENCY_TABLE');
  });

  it.each([
    ['not JSON', 'message.*', 'CONSUMER_PATTERNS is not JSON'],
    ['an empty array', '[]', 'non-empty JSON array'],
    ['not an array', '"message.*"', 'non-empty JSON array'],
    ['a non-string', '["message.*", 3]', 'non-empty JSON array'],
    ['a malformed pattern', '["message*"]', '"message*" is not an event pattern'],
  ])('refuses CONSUMER_PATTERNS that is %s', (_what, raw, message) => {
    expect(() => readConsumerEnv({ ...TABLE, CONSUMER_PATTERNS: raw })).toThrow(ConfigError);
    expect(() => readConsumerEnv({ ...TABLE, CONSUMER_PATTERNS: raw })).toThrow(message);
  });

  it.each(['fifo', 'PER-ENTITY', 'per_entity'])('refuses ORDERING=%s', (raw) => {
    expect(() => readConsumerEnv({ ...TABLE, ORDERING: raw })).toThrow(
      `ORDERING must be "none" or "per-entity", got "${raw}"`,
    );
  });

  it('refuses a group name the stack could not have written', () => {
    expect(() => readConsumerEnv({ ...TABLE, CONSUMER_GROUP: 'Chat Group' })).toThrow(ConfigError);
  });

  it.each(['DEDUPE_TTL_SECONDS', 'MAX_INFLATED_BYTES'])(
    'refuses %s that is not a positive integer',
    (name) => {
      expect(() => readConsumerEnv({ ...TABLE, [name]: '-5' })).toThrow(ConfigError);
    },
  );
});
