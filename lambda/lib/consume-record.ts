import type { Context, SQSRecord } from 'aws-lambda';
import type { Claims } from './claims.js';
import { decodeQueueMessage, type DecodedMessage } from './decode.js';
import { dedupeKey } from './dedupe-key.js';
import { ClaimFailed, ClaimInProgress } from './errors.js';
import type { HandlerContext, Route } from './handlers.js';
import type { Logger } from './logger.js';
import { ATTRIBUTE, parseAttempt, type DeliverySource } from './message-attributes.js';
import { countOne } from './metrics.js';
import { matchesAny } from './routing-table.js';

export interface ConsumeDeps {
  readonly group: string;
  /** The group's patterns: an event outside them is dropped before anything else happens. */
  readonly patterns: readonly string[];
  readonly route: (type: string) => Route | null;
  /** Exactly-once effects; null runs every delivery (only for local runs without a table). */
  readonly claims: Claims | null;
  readonly logger: Logger;
  readonly maxInflatedBytes: number;
}

export type ConsumeOutcome = 'handled' | 'unhandled' | 'filtered' | 'duplicate';

const SOURCES: readonly string[] = ['webhook', 'sqs', 'sns'];

/** Each consumer count is by function (`service`) and group. */
const DIMENSIONS = ['service', 'group'];

function attribute(record: SQSRecord, name: string): string | null {
  return record.messageAttributes?.[name]?.stringValue ?? null;
}

function sourceOf(record: SQSRecord): HandlerContext['source'] {
  const source = attribute(record, ATTRIBUTE.source);
  // Stream's own direct deliveries carry no attributes; what came without ours is Stream's.
  if (source === null) return 'unknown';
  return SOURCES.includes(source) ? (source as DeliverySource) : 'unknown';
}

/**
 * One queue record: decode, drop what is not this group's, route by type, claim, run the
 * handler. Throws (so the batch reports this record as failed and SQS retries it, then
 * dead-letters it) when the body cannot be decoded, the handler throws, another invocation is
 * running the same event, or the claim store fails. Acknowledged without running anything: an
 * event outside the group's patterns (an SNS subscription whose filter policy could not see a
 * compressed payload's type), an event no handler takes (new types are normal), and an event this
 * group already handled (a duplicate).
 */
export async function consumeRecord(
  record: SQSRecord,
  lambdaContext: Context,
  deps: ConsumeDeps,
): Promise<ConsumeOutcome> {
  const webhookId = attribute(record, ATTRIBUTE.webhookId);
  const base = { group: deps.group, webhook_id: webhookId, message_id: record.messageId };
  let decoded: DecodedMessage;
  try {
    decoded = decodeQueueMessage(record.body, deps.maxInflatedBytes);
  } catch (error) {
    deps.logger.error('message undecodable', { ...base, reason: (error as Error).message });
    throw error;
  }
  const { event, bytes } = decoded;
  const fields = { ...base, type: event.type };

  // Before the claim: a filtered event must leave no record behind in the table.
  if (!matchesAny(deps.patterns, event.type)) {
    deps.logger.info('event filtered', { ...fields, ...countOne('EventsFiltered', DIMENSIONS) });
    return 'filtered';
  }
  const route = deps.route(event.type);
  if (route === null) {
    deps.logger.info('event unhandled', fields);
    return 'unhandled';
  }

  const context: HandlerContext = {
    group: deps.group,
    webhookId,
    attempt: parseAttempt(attribute(record, ATTRIBUTE.attempt)),
    source: sourceOf(record),
    receivedAt: attribute(record, ATTRIBUTE.receivedAt),
    messageId: record.messageId,
    logger: deps.logger,
  };
  const run = async (): Promise<void> => {
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
  };

  if (deps.claims === null) {
    await run();
  } else {
    const outcome = await claimAndRun(deps.claims, dedupeKey(webhookId, bytes), run, {
      lambdaContext,
      logger: deps.logger,
      fields: { ...fields, pattern: route.pattern },
    });
    if (outcome === 'duplicate') return 'duplicate';
  }
  deps.logger.info('event handled', { ...fields, pattern: route.pattern });
  return 'handled';
}

async function claimAndRun(
  claims: Claims,
  key: string,
  run: () => Promise<void>,
  {
    lambdaContext,
    logger,
    fields,
  }: { lambdaContext: Context; logger: Logger; fields: Record<string, unknown> },
): Promise<'ran' | 'duplicate'> {
  let outcome;
  try {
    outcome = await claims.once(key, run, lambdaContext);
  } catch (error) {
    if (error instanceof ClaimInProgress) {
      // Not a fault: SQS hands the record out again once its visibility timeout is over.
      logger.warn('event in progress', fields);
    } else if (error instanceof ClaimFailed) {
      logger.error('claim failed', { ...fields, error });
    }
    // Anything else came from the handler, already logged as "handler failed".
    throw error;
  }
  if (outcome === 'duplicate') {
    logger.info('event duplicate', { ...fields, ...countOne('EventsDuplicate', DIMENSIONS) });
  }
  return outcome;
}
