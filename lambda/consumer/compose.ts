import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClaims } from '../lib/adapters/dynamodb-claims.js';
import type { ConsumerSettings as ConsumerEnvSettings } from '../../contract/env/consumer.js';
import type { HandlerMap } from '../lib/domain/handlers.js';
import type { LargeEventStore } from '../lib/domain/large-event-store.js';
import type { Logger } from '../lib/domain/logger.js';
import type { MetricsSink } from '../lib/domain/metrics.js';
import { createConsumerHandler, type ConsumerHandler } from './handler.js';

/**
 * A group's consumer settings: its environment as the reader checks it, less the bucket name
 * that only the Lambda turns into a large-event store.
 */
export type ConsumerSettings = Omit<ConsumerEnvSettings, 'largeEventBucket'>;

/** What differs between the Lambda and `npm run dev` and the tests. */
export interface ConsumerAdapters {
  /** Where the claims table is (DynamoDB, or the embedded server in dev). */
  readonly dynamoDb: DynamoDBClient;
  /** Where pointer messages' bodies are read from; null: a pointer is undecodable. */
  readonly largeEvents: LargeEventStore | null;
  readonly metrics: MetricsSink;
  readonly logger: Logger;
}

/**
 * The consumer's one composition root: a group's settings, the user's handlers and the adapters
 * in, the batch handler out. The group's Lambda (consumerHandler), `npm run dev` and the tests all
 * build a consumer here, with its claims under the group's name for `dedupeTtlSeconds`.
 */
export function composeConsumer(
  settings: ConsumerSettings,
  handlers: HandlerMap,
  adapters: ConsumerAdapters,
): ConsumerHandler {
  return createConsumerHandler({
    group: settings.group,
    patterns: settings.patterns,
    handlers,
    claims: dynamoDbClaims({
      group: settings.group,
      tableName: settings.idempotencyTable,
      client: adapters.dynamoDb,
      ttlSeconds: settings.dedupeTtlSeconds,
      logger: adapters.logger,
    }),
    ordering: settings.ordering,
    logger: adapters.logger,
    metrics: adapters.metrics,
    maxInflatedBytes: settings.maxInflatedBytes,
    largeEvents: adapters.largeEvents,
  });
}
