import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Claims } from '../lib/domain/claims.js';
import { consumeRecord, type ConsumeDeps } from '../lib/domain/consume-record.js';
import type { Ordering } from '../../contract/env/consumer.js';
import { createRouter, type HandlerMap } from '../lib/domain/handlers.js';
import type { LargeEventStore } from '../lib/domain/large-event-store.js';
import type { Logger } from '../lib/adapters/logger.js';
import { silentMetrics, type MetricsSink } from '../lib/domain/metrics.js';
import { oneAtATime } from '../lib/domain/one-at-a-time.js';
import { assertValidPattern } from '../../contract/patterns.js';

export interface ConsumerDeps {
  readonly group: string;
  /** The group's event patterns; events outside them are acknowledged and not handled. */
  readonly patterns: readonly string[];
  readonly handlers: HandlerMap;
  /** Exactly-once effects per group; null handles every delivery (no table, e.g. `npm run dev`). */
  readonly claims: Claims | null;
  /** `per-entity` for a FIFO queue: each message group in order, stopped at its first failure. */
  readonly ordering: Ordering;
  readonly logger: Logger;
  readonly maxInflatedBytes: number;
  /** Where pointer messages' bodies are stored (claim check). @default null - none */
  readonly largeEvents?: LargeEventStore | null;
  /** Where EventsHandled/Duplicate/Failed/Filtered/Unhandled are counted. @default silentMetrics */
  readonly metrics?: MetricsSink;
}

export type ConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The consumer without its Lambda wiring, so `npm run dev` and the tests run the very same code.
 * Powertools runs the batch and reports exactly the records that threw as batchItemFailures.
 */
export function createConsumerHandler(deps: ConsumerDeps): ConsumerHandler {
  deps.patterns.forEach(assertValidPattern);
  const metrics = deps.metrics ?? silentMetrics;
  const consumeDeps: ConsumeDeps = {
    ...deps,
    route: createRouter(deps.handlers),
    metrics,
    // One container runs one invocation at a time, so this is one large event per invocation.
    oneLargeAtATime: oneAtATime(),
  };
  const batch = createBatchHandler(deps.ordering, (record: SQSRecord, context: Context) =>
    consumeRecord(record, context, consumeDeps),
  );
  return async (event, context) => {
    try {
      return await batch(event, context);
    } finally {
      // Once per invocation: one EMF document per dimension set, not one per record.
      metrics.flush();
    }
  };
}

function createBatchHandler(
  ordering: Ordering,
  recordHandler: (record: SQSRecord, context: Context) => Promise<unknown>,
): ConsumerHandler {
  if (ordering === 'per-entity') {
    // Records of one message group run one after another, in the order SQS gave them; after the
    // group's first failure its later records are not run and are reported failed too, so SQS
    // redelivers them behind the failed one. Other groups go on.
    const processor = new SqsFifoPartialProcessorAsync();
    return (event, context) =>
      processPartialResponse(event, recordHandler, processor, {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
  }
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) =>
    processPartialResponse(event, recordHandler, processor, {
      context,
      // A batch whose every record failed is still a partial response: SQS retries them all.
      throwOnFullBatchFailure: false,
    });
}
