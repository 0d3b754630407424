import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lambda/lib/config/env.js';
import { loadConsumerConfig } from '../../../../lambda/lib/config/consumer-config.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../../contract/limits.js';

const TABLE = { IDEMPOTENCY_TABLE: 'stream-events-claims' };

describe('loadConsumerConfig', () => {
  it('defaults to the single group "all" taking every event, unordered, 24 h dedupe, 16 MiB cap', () => {
    expect(loadConsumerConfig({ ...TABLE })).toEqual({
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
    const config = loadConsumerConfig(env);

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
      loadConsumerConfig({ ...TABLE, CONSUMER_GROUP: '', CONSUMER_PATTERNS: '', ORDERING: '' }),
    ).toMatchObject({ group: 'all', patterns: ['*'], ordering: 'none' });
  });

  it('refuses to start without the idempotency table: no consumer runs without dedupe', () => {
    expect(() => loadConsumerConfig({})).toThrow(ConfigError);
    expect(() => loadConsumerConfig({})).toThrow('IDEMPOTENCY_TABLE');
  });

  it.each([
    ['not JSON', 'message.*', 'CONSUMER_PATTERNS is not JSON'],
    ['an empty array', '[]', 'non-empty JSON array'],
    ['not an array', '"message.*"', 'non-empty JSON array'],
    ['a non-string', '["message.*", 3]', 'non-empty JSON array'],
    ['a malformed pattern', '["message*"]', '"message*" is not an event pattern'],
  ])('refuses CONSUMER_PATTERNS that is %s', (_what, raw, message) => {
    expect(() => loadConsumerConfig({ ...TABLE, CONSUMER_PATTERNS: raw })).toThrow(ConfigError);
    expect(() => loadConsumerConfig({ ...TABLE, CONSUMER_PATTERNS: raw })).toThrow(message);
  });

  it.each(['fifo', 'PER-ENTITY', 'per_entity'])('refuses ORDERING=%s', (raw) => {
    expect(() => loadConsumerConfig({ ...TABLE, ORDERING: raw })).toThrow(
      `ORDERING must be "none" or "per-entity", got "${raw}"`,
    );
  });

  it('refuses a group name the stack could not have written', () => {
    expect(() => loadConsumerConfig({ ...TABLE, CONSUMER_GROUP: 'Chat Group' })).toThrow(
      ConfigError,
    );
  });

  it.each(['DEDUPE_TTL_SECONDS', 'MAX_INFLATED_BYTES'])(
    'refuses %s that is not a positive integer',
    (name) => {
      expect(() => loadConsumerConfig({ ...TABLE, [name]: '-5' })).toThrow(ConfigError);
    },
  );
});
