/**
 * A consumer group's environment: lib/event-consumer.ts writes it (with lib/large-event-bucket.ts
 * for the bucket), lambda/consumer/lambda.ts reads it at the first invocation. Every setting is
 * plain data the consumer runs with as it is. A test round-trips it
 * (test/contract/env/consumer.test.ts).
 */
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../limits.js';
import { assertValidGroupName, DEFAULT_GROUP_NAME, InvalidGroupName } from '../names.js';
import { assertValidPattern, InvalidPattern } from '../patterns.js';
import {
  CONSUMER_SERVICE,
  DEDUPE_TTL_SECONDS,
  IDEMPOTENCY_TABLE,
  LARGE_EVENT_BUCKET,
  MAX_INFLATED_BYTES,
  POWERTOOLS_LOG_LEVEL,
  POWERTOOLS_SERVICE_NAME,
  largeEventBucketEnv,
  powertoolsEnv,
  readLargeEventBucket,
} from './common.js';
import { ConfigError, type Env, parseJson, positiveInteger, requiredString } from './parse.js';

/** The group's name: part of every dedupe key. */
export const CONSUMER_GROUP = 'CONSUMER_GROUP';
/** The group's event patterns, as a JSON array: the consumer drops (acknowledges) every other event. */
export const CONSUMER_PATTERNS = 'CONSUMER_PATTERNS';
/** `none` or `per-entity`: whether the group's queue is FIFO. */
export const ORDERING = 'ORDERING';

/** Every variable a consumer's environment may hold (besides NODE_OPTIONS and the metric namespace). */
export const CONSUMER_ENV_NAMES = [
  CONSUMER_GROUP,
  CONSUMER_PATTERNS,
  ORDERING,
  MAX_INFLATED_BYTES,
  POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_LOG_LEVEL,
  IDEMPOTENCY_TABLE,
  DEDUPE_TTL_SECONDS,
  LARGE_EVENT_BUCKET,
] as const;

/**
 * `none`: a standard queue, records run in parallel. `per-entity`: a FIFO queue, each message
 * group's records run in order and the group stops at its first failure.
 */
export type Ordering = 'none' | 'per-entity';

export const ORDERINGS: readonly Ordering[] = ['none', 'per-entity'];

export interface ConsumerSettings {
  readonly group: string;
  /** The group's event patterns: the consumer drops (acknowledges) every other event. */
  readonly patterns: readonly string[];
  readonly ordering: Ordering;
  /** The DynamoDB table of claims shared by every group (partition key `id`, TTL `expiration`). */
  readonly idempotencyTable: string;
  readonly dedupeTtlSeconds: number;
  readonly maxInflatedBytes: number;
  /** The bucket pointer messages name; null: a pointer is undecodable. */
  readonly largeEventBucket: string | null;
}

/** The consumer's variables for `settings`; no bucket, no variable. */
export function consumerEnv(settings: ConsumerSettings): Record<string, string> {
  return {
    [CONSUMER_GROUP]: settings.group,
    [CONSUMER_PATTERNS]: JSON.stringify(settings.patterns),
    [ORDERING]: settings.ordering,
    [MAX_INFLATED_BYTES]: String(settings.maxInflatedBytes),
    ...powertoolsEnv(CONSUMER_SERVICE),
    [IDEMPOTENCY_TABLE]: settings.idempotencyTable,
    [DEDUPE_TTL_SECONDS]: String(settings.dedupeTtlSeconds),
    ...(settings.largeEventBucket === null ? {} : largeEventBucketEnv(settings.largeEventBucket)),
  };
}

/**
 * Read and checked once per container (lambda/consumer/lambda.ts, at the first invocation). Only
 * the table has no default: a consumer that cannot dedupe must not start.
 */
export function readConsumerEnv(env: Env): ConsumerSettings {
  return {
    group: readGroup(env[CONSUMER_GROUP]),
    patterns: readPatterns(env[CONSUMER_PATTERNS]),
    ordering: readOrdering(env[ORDERING]),
    idempotencyTable: requiredString(env, IDEMPOTENCY_TABLE),
    dedupeTtlSeconds: positiveInteger(env, DEDUPE_TTL_SECONDS, DEFAULT_DEDUPE_TTL_SECONDS),
    maxInflatedBytes: positiveInteger(env, MAX_INFLATED_BYTES, DEFAULT_MAX_INFLATED_BYTES),
    largeEventBucket: readLargeEventBucket(env),
  };
}

/** The group's name, checked as the stack checks it at synth: it is part of every dedupe key. */
function readGroup(raw: string | undefined): string {
  const group = raw || DEFAULT_GROUP_NAME;
  try {
    assertValidGroupName(group);
  } catch (error) {
    if (error instanceof InvalidGroupName) {
      throw new ConfigError(`${CONSUMER_GROUP}: ${error.message}`);
    }
    throw error;
  }
  return group;
}

function readPatterns(raw: string | undefined): readonly string[] {
  if (raw === undefined || raw === '') return ['*'];
  const parsed = parseJson(CONSUMER_PATTERNS, raw);
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((p): p is string => typeof p === 'string')
  ) {
    throw new ConfigError(`${CONSUMER_PATTERNS} must be a non-empty JSON array of event patterns`);
  }
  for (const pattern of parsed) {
    try {
      assertValidPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidPattern) {
        throw new ConfigError(`${CONSUMER_PATTERNS}: ${error.message}`);
      }
      throw error;
    }
  }
  return parsed;
}

function readOrdering(raw: string | undefined): Ordering {
  if (raw === undefined || raw === '') return 'none';
  const ordering = ORDERINGS.find((known) => known === raw);
  if (ordering === undefined) {
    throw new ConfigError(`${ORDERING} must be "none" or "per-entity", got "${raw}"`);
  }
  return ordering;
}
