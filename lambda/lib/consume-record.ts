import type { SQSRecord } from 'aws-lambda';
import { decodeQueueEvent } from './decode.js';
import type { HandlerContext, Route } from './handlers.js';
import type { Logger } from './logger.js';
import { ATTRIBUTE, type DeliverySource } from './message-attributes.js';

export interface ConsumeDeps {
  readonly group: string;
  readonly route: (type: string) => Route | null;
  readonly logger: Logger;
  readonly maxInflatedBytes: number;
}

export type ConsumeOutcome = 'handled' | 'unhandled';

const SOURCES: readonly string[] = ['webhook', 'sqs', 'sns'];

function attribute(record: SQSRecord, name: string): string | null {
  return record.messageAttributes?.[name]?.stringValue ?? null;
}

function sourceOf(record: SQSRecord): HandlerContext['source'] {
  const source = attribute(record, ATTRIBUTE.source);
  // Stream's own direct deliveries carry no attributes; what came without ours is Stream's.
  if (source === null) return 'unknown';
  return SOURCES.includes(source) ? (source as DeliverySource) : 'unknown';
}

function attemptOf(record: SQSRecord): number | null {
  const attempt = Number(attribute(record, ATTRIBUTE.attempt));
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : null;
}

/**
 * One queue record: decode, route by type, run the handler. Throws (so the batch reports this
 * record as failed and SQS retries it, then dead-letters it) when the body cannot be decoded or the
 * handler throws. An event no handler takes is logged and acknowledged: new types are normal.
 */
export async function consumeRecord(record: SQSRecord, deps: ConsumeDeps): Promise<ConsumeOutcome> {
  const webhookId = attribute(record, ATTRIBUTE.webhookId);
  const base = { group: deps.group, webhook_id: webhookId, message_id: record.messageId };
  let event;
  try {
    event = decodeQueueEvent(record.body, deps.maxInflatedBytes);
  } catch (error) {
    deps.logger.error('message undecodable', { ...base, reason: (error as Error).message });
    throw error;
  }
  const fields = { ...base, type: event.type };
  const route = deps.route(event.type);
  if (route === null) {
    deps.logger.info('event unhandled', fields);
    return 'unhandled';
  }
  const context: HandlerContext = {
    group: deps.group,
    webhookId,
    attempt: attemptOf(record),
    source: sourceOf(record),
    receivedAt: attribute(record, ATTRIBUTE.receivedAt),
    messageId: record.messageId,
    logger: deps.logger,
  };
  try {
    await route.handler(event, context);
  } catch (error) {
    deps.logger.error('handler failed', {
      ...fields,
      pattern: route.pattern,
      error: error as Error,
    });
    throw error;
  }
  deps.logger.info('event handled', { ...fields, pattern: route.pattern });
  return 'handled';
}
