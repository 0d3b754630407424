import { dynamoDbClient } from '../lib/adapters/aws-clients/dynamodb.js';
import { s3Client } from '../lib/adapters/aws-clients/s3.js';
import { readConsumerEnv } from '../../contract/env/consumer.js';
import { createRouter, type HandlerMap } from '../lib/domain/handlers.js';
import { createLogger } from '../lib/adapters/logger.js';
import { powertoolsMetrics } from '../lib/adapters/metrics.js';
import { s3LargeEventStore } from '../lib/adapters/s3-large-event-store.js';
import { CONSUMER_SERVICE } from '../../contract/env/common.js';
import { composeConsumer } from './compose.js';
import type { ConsumerHandler } from './handler.js';

/**
 * The Lambda handler of a consumer group. A group's entry is the user's handler file, which ends
 * with `export const handler = consumerHandler(handlers);` beside `export const handlers`.
 *
 * The configuration (CONSUMER_GROUP, CONSUMER_PATTERNS, ORDERING, IDEMPOTENCY_TABLE,
 * DEDUPE_TTL_SECONDS, MAX_INFLATED_BYTES) is read and checked once per container, at the first
 * invocation rather than at import: `npm run dev` and the tests import the same file for its
 * `handlers`, where none of that environment exists, and must not fail or build a DynamoDB-backed
 * consumer they never call. The first invocation pays for reading a few variables and building
 * objects (no network call); a wrong environment fails that invocation, and every one after it,
 * with a ConfigError naming the variable, so the records are retried and then dead-lettered.
 * The handler map is still checked at import, as before: a malformed pattern fails the cold start.
 */
export function consumerHandler(handlers: HandlerMap): ConsumerHandler {
  createRouter(handlers);
  let consumer: ConsumerHandler | undefined;
  return async (event, context) => {
    consumer ??= fromEnvironment(handlers);
    return consumer(event, context);
  };
}

function fromEnvironment(handlers: HandlerMap): ConsumerHandler {
  const config = readConsumerEnv(process.env);
  return composeConsumer(config, handlers, {
    dynamoDb: dynamoDbClient,
    largeEvents:
      config.largeEventBucket === null
        ? null
        : s3LargeEventStore({ bucket: config.largeEventBucket, client: s3Client }),
    metrics: powertoolsMetrics(CONSUMER_SERVICE),
    logger: createLogger(CONSUMER_SERVICE),
  });
}
