import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { consumeRecord } from '../lib/consume-record.js';
import { createRouter, type HandlerMap } from '../lib/handlers.js';
import type { Logger } from '../lib/logger.js';

export interface ConsumerDeps {
  readonly group: string;
  readonly handlers: HandlerMap;
  readonly logger: Logger;
  readonly maxInflatedBytes: number;
}

export type ConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The consumer without its Lambda wiring, so `npm run dev` and the tests run the very same code.
 * Powertools runs the batch and reports exactly the records that threw as batchItemFailures.
 */
export function createConsumerHandler(deps: ConsumerDeps): ConsumerHandler {
  const route = createRouter(deps.handlers);
  const processor = new BatchProcessor(EventType.SQS);
  const consumeDeps = { ...deps, route };
  return (event, context) =>
    processPartialResponse(
      event,
      (record: SQSRecord) => consumeRecord(record, consumeDeps),
      processor,
      {
        context,
        // A batch whose every record failed is still a partial response: SQS retries them all.
        throwOnFullBatchFailure: false,
      },
    );
}
