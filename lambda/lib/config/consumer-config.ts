import { ConfigError, positiveInteger, requiredString } from './env.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../contract/limits.js';
import { assertValidPattern, InvalidPattern } from '../../../contract/patterns.js';
import {
  assertValidGroupName,
  DEFAULT_GROUP_NAME,
  InvalidGroupName,
} from '../../../contract/names.js';

/**
 * `none`: a standard queue, records run in parallel. `per-entity`: a FIFO queue, each message
 * group's records run in order and the group stops at its first failure.
 */
export type Ordering = 'none' | 'per-entity';

const ORDERINGS: readonly Ordering[] = ['none', 'per-entity'];

export interface ConsumerConfig {
  readonly group: string;
  /** The group's event patterns: the consumer drops (acknowledges) every other event. */
  readonly patterns: readonly string[];
  readonly ordering: Ordering;
  /** The DynamoDB table of claims shared by every group (partition key `id`, TTL `expiration`). */
  readonly idempotencyTable: string;
  readonly dedupeTtlSeconds: number;
  readonly maxInflatedBytes: number;
  /** The bucket pointer messages name (`LARGE_EVENT_BUCKET`); null: a pointer is undecodable. */
  readonly largeEventBucket: string | null;
}

function patternsFrom(raw: string | undefined): readonly string[] {
  if (raw === undefined || raw === '') return ['*'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('CONSUMER_PATTERNS is not JSON');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((p): p is string => typeof p === 'string')
  ) {
    throw new ConfigError('CONSUMER_PATTERNS must be a non-empty JSON array of event patterns');
  }
  for (const pattern of parsed) {
    try {
      assertValidPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidPattern)
        throw new ConfigError(`CONSUMER_PATTERNS: ${error.message}`);
      throw error;
    }
  }
  return parsed;
}

function orderingFrom(raw: string | undefined): Ordering {
  if (raw === undefined || raw === '') return 'none';
  if (!ORDERINGS.includes(raw as Ordering)) {
    throw new ConfigError(`ORDERING must be "none" or "per-entity", got "${raw}"`);
  }
  return raw as Ordering;
}

/**
 * Read and checked once per container. The names are set by lib/event-consumer.ts. Only the
 * table has no default: a consumer that cannot dedupe must not start.
 */
export function loadConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  const group = env.CONSUMER_GROUP || DEFAULT_GROUP_NAME;
  try {
    assertValidGroupName(group);
  } catch (error) {
    if (error instanceof InvalidGroupName)
      throw new ConfigError(`CONSUMER_GROUP: ${error.message}`);
    throw error;
  }
  return {
    group,
    patterns: patternsFrom(env.CONSUMER_PATTERNS),
    ordering: orderingFrom(env.ORDERING),
    idempotencyTable: requiredString(env, 'IDEMPOTENCY_TABLE'),
    dedupeTtlSeconds: positiveInteger(env, 'DEDUPE_TTL_SECONDS', DEFAULT_DEDUPE_TTL_SECONDS),
    maxInflatedBytes: positiveInteger(env, 'MAX_INFLATED_BYTES', DEFAULT_MAX_INFLATED_BYTES),
    largeEventBucket: env.LARGE_EVENT_BUCKET || null,
  };
}
