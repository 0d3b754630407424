import type { Context, SQSRecord } from 'aws-lambda';
import type { Claims } from './claims.js';
import { decodeQueueMessage, type DecodedMessage } from './decode.js';
import { dedupeKey } from './dedupe-key.js';
import { ClaimFailed, ClaimInProgress, UndecodableMessage } from './errors.js';
import type { HandlerContext, Route } from './handlers.js';
import { isPointerBody, parsePointerBody } from './large-event-pointer.js';
import { fetchPointedBody, type LargeEventStore } from './large-event-store.js';
import type { Logger } from './logger.js';
import { ATTRIBUTE, parseAttempt, type DeliverySource } from './message-attributes.js';
import type { CountedMetric, MetricsSink } from './metrics.js';
import type { OneAtATime } from './one-at-a-time.js';
import { familyOf } from './product-family.js';
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
  /** Where pointer messages' bodies are (claim check); null: a pointer is undecodable. */
  readonly largeEvents?: LargeEventStore | null;
  readonly metrics: MetricsSink;
  /**
   * Where pointer records take turns: each is fetched, decoded and handled only once the one
   * before it is done. @default - none: every record at once
   */
  readonly oneLargeAtATime?: OneAtATime;
}

export type ConsumeOutcome = 'handled' | 'unhandled' | 'filtered' | 'duplicate';

const SOURCES: readonly string[] = ['webhook', 'sqs', 'sns'];

/** The `family` of a count whose event could not be read. */
const UNKNOWN_FAMILY = 'unknown';

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
 * handler. A pointer record (a large event) waits its turn in `oneLargeAtATime` for all of it:
 * its inflated bytes (up to maxInflatedBytes) and their parsed objects live until its handler
 * returns, and ten 15 MB events of one batch at once took 527 MB against a 256 MB function.
 * Inline records (at most a queue message, 1 MiB) run beside it. Throws (so the batch reports this record as failed and SQS retries it, then
 * dead-letters it) when the body cannot be decoded, the handler throws, another invocation is
 * running the same event, or the claim store fails. Acknowledged without running anything: an
 * event outside the group's patterns (an SNS subscription whose filter policy could not see a
 * compressed payload's type), an event no handler takes (new types are normal), and an event this
 * group already handled (a duplicate).
 */
export function consumeRecord(
  record: SQSRecord,
  lambdaContext: Context,
  deps: ConsumeDeps,
): Promise<ConsumeOutcome> {
  if (deps.oneLargeAtATime !== undefined && isPointerBody(record.body)) {
    return deps.oneLargeAtATime(() => consume(record, lambdaContext, deps));
  }
  return consume(record, lambdaContext, deps);
}

async function consume(
  record: SQSRecord,
  lambdaContext: Context,
  deps: ConsumeDeps,
): Promise<ConsumeOutcome> {
  const webhookId = attribute(record, ATTRIBUTE.webhookId);
  const base = { group: deps.group, webhook_id: webhookId, message_id: record.messageId };
  let decoded: DecodedMessage;
  try {
    const body = await resolveBody(record.body, deps.largeEvents ?? null);
    decoded = decodeQueueMessage(body, deps.maxInflatedBytes);
  } catch (error) {
    if (error instanceof UndecodableMessage) {
      deps.logger.error('message undecodable', { ...base, reason: error.message });
    } else {
      // The large-event store failed (S3 unreachable...): retried like any record that throws.
      deps.logger.error('large event unavailable', { ...base, error: error as Error });
    }
    deps.metrics.count('EventsFailed', { group: deps.group, family: UNKNOWN_FAMILY });
    throw error;
  }
  const { event, bytes } = decoded;
  const fields = { ...base, type: event.type };
  const dimensions = { group: deps.group, family: familyOf(event.type) };
  const count = (metric: CountedMetric): void => deps.metrics.count(metric, dimensions);

  // Before the claim: a filtered event must leave no record behind in the table.
  if (!matchesAny(deps.patterns, event.type)) {
    deps.logger.info('event filtered', fields);
    count('EventsFiltered');
    return 'filtered';
  }
  const route = deps.route(event.type);
  if (route === null) {
    deps.logger.info('event unhandled', fields);
    count('EventsUnhandled');
    return 'unhandled';
  }

  const context: HandlerContext = {
    group: deps.group,
    webhookId,
    attempt: parseAttempt(attribute(record, ATTRIBUTE.attempt)),
    source: sourceOf(record),
    receivedAt: attribute(record, ATTRIBUTE.receivedAt),
    messageId: record.messageId,
    rawEvent: bytes,
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
      count('EventsFailed');
      throw error;
    }
  };

  if (deps.claims === null) {
    await run();
  } else {
    const outcome = await claimAndRun(deps.claims, dedupeKey(bytes), run, {
      lambdaContext,
      logger: deps.logger,
      fields: { ...fields, pattern: route.pattern },
      count,
    });
    if (outcome === 'duplicate') return 'duplicate';
  }
  deps.logger.info('event handled', { ...fields, pattern: route.pattern });
  count('EventsHandled');
  return 'handled';
}

/** The body itself, or the one a pointer (claim check) names, read from the store. */
async function resolveBody(body: string, store: LargeEventStore | null): Promise<string> {
  const pointer = parsePointerBody(body);
  return pointer === null ? body : fetchPointedBody(pointer, store);
}

async function claimAndRun(
  claims: Claims,
  key: string,
  run: () => Promise<void>,
  {
    lambdaContext,
    logger,
    fields,
    count,
  }: {
    lambdaContext: Context;
    logger: Logger;
    fields: Record<string, unknown>;
    count: (metric: CountedMetric) => void;
  },
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
      count('EventsFailed');
    }
    // Anything else came from the handler, already logged as "handler failed".
    throw error;
  }
  if (outcome === 'duplicate') {
    logger.info('event duplicate', fields);
    count('EventsDuplicate');
  }
  return outcome;
}
