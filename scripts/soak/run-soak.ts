import { SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import type { HandlerMap } from '../../lambda/lib/domain/handlers.js';
import { deliverLikeStream } from './deliver.js';
import { tapLogLines, type LogTap } from './log-tap.js';
import { planSoak, type SoakEvent } from './plan.js';
import { queueDepth } from './queue-depth.js';

export interface SoakOptions {
  /** Distinct events to send. @default 10_000 */
  readonly count?: number;
  /** Share of events Stream delivers twice (same webhook id), 0-1. @default 0.1 */
  readonly duplicateShare?: number;
  /** Share of events sent gzipped, 0-1. @default 0.2 */
  readonly gzipShare?: number;
  /** Deliveries in flight at once. @default 20 */
  readonly concurrency?: number;
  /** Seeds which events are duplicated and gzipped, and where the copies go. @default 1 */
  readonly seed?: number;
  /** Give up waiting for the pipeline to settle after this long; what is missing then is lost. @default 300_000 */
  readonly settleTimeoutMs?: number;
  /**
   * False switches the consumer's claims off with Powertools' own POWERTOOLS_IDEMPOTENCY_DISABLED,
   * to show what the dedupe prevents: a healthy run then reports events handled twice.
   * @default true
   */
  readonly dedupe?: boolean;
  /** Let the pipeline's log lines through to stdout/stderr. @default false */
  readonly verbose?: boolean;
}

export interface SoakReport {
  /** Distinct events sent. */
  readonly sent: number;
  /** HTTP deliveries made (events plus their re-deliveries), each retried as Stream retries. */
  readonly deliveries: number;
  readonly duplicateDeliveries: number;
  readonly gzipped: number;
  /** Deliveries Stream would have given up on (never answered 2xx). */
  readonly rejected: number;
  /** Deliveries that needed more than one attempt. */
  readonly retried: number;
  /** Distinct events whose handler effect ran. */
  readonly handled: number;
  /** The consumer's own `event duplicate` decisions. */
  readonly duplicatesSkipped: number;
  /** Sent and never handled. */
  readonly lost: number;
  /** Events whose effect ran more than once. */
  readonly handledTwice: number;
  /** Records the consumer failed and SQS redelivered (handler error, claim in progress, ...). */
  readonly recordFailures: number;
  readonly deadLettered: number;
  /** False when the settle timeout ran out first. */
  readonly settled: boolean;
  readonly sendMs: number;
  readonly wallMs: number;
  readonly dedupe: boolean;
}

const GROUP = 'soak';
const SETTLE_POLL_MS = 250;
/** Counts unchanged for this many polls in a row, with the queue empty, mean settled. */
const STABLE_POLLS = 4;

function share(name: string, value: number): number {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`${name} must be from 0 to 1, got ${value}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Runs the dev pipeline in this process with one counting group, sends every planned delivery
 * through the signed HTTP webhook, waits until the queue is empty and the counts stop moving,
 * and compares what was sent with what the handler did.
 */
export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const count = positive('count', options.count ?? 10_000);
  const concurrency = positive('concurrency', options.concurrency ?? 20);
  const plan = planSoak({
    count,
    duplicateShare: share('duplicate share', options.duplicateShare ?? 0.1),
    gzipShare: share('gzip share', options.gzipShare ?? 0.2),
    seed: options.seed ?? 1,
  });
  const settleTimeoutMs = options.settleTimeoutMs ?? 300_000;
  const dedupe = options.dedupe ?? true;

  const effects = new Map<string, number>();
  const handlers: HandlerMap = {
    '*': (_event, context) => {
      const id = context.webhookId ?? context.messageId;
      effects.set(id, (effects.get(id) ?? 0) + 1);
    },
  };

  const started = performance.now();
  const tap: LogTap = tapLogLines({ passThrough: options.verbose ?? false });
  let pipeline: DevPipeline | undefined;
  let sqs: SQSClient | undefined;
  const disabledBefore = process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
  try {
    // Powertools reads its switch when the claims are built, at pipeline start.
    if (!dedupe) process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';
    try {
      pipeline = await startDevPipeline({
        port: 0,
        sqsPort: 0,
        dynamoDbPort: 0,
        // Short polls: local-aws-sqs holds a long poll for its whole wait even with messages queued.
        waitTimeSeconds: 0,
        groups: [{ name: GROUP, patterns: ['*'], handlers }],
        hookRuntime: false,
      });
    } finally {
      if (disabledBefore === undefined) delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
      else process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = disabledBefore;
    }
    const webhookUrl = pipeline.webhookUrl;
    const queues = pipeline.queues[GROUP]!;
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: pipeline.sqsEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    let rejected = 0;
    let retried = 0;
    let next = 0;
    const deliverAll = async (): Promise<void> => {
      while (next < plan.deliveries.length) {
        const event: SoakEvent = plan.deliveries[next]!;
        next += 1;
        const result = await deliverLikeStream({
          url: webhookUrl,
          json: event.json,
          webhookId: event.webhookId,
          gzip: event.gzip,
          apiKey: 'dev-api-key',
          secret: 'dev-api-secret',
        });
        if (!result.ok) rejected += 1;
        if (result.outcomes.length > 1) retried += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, deliverAll));
    const sendMs = performance.now() - started;

    const outcomes = (): string =>
      [
        tap.count('event handled', GROUP),
        tap.count('event duplicate', GROUP),
        tap.count('handler failed', GROUP),
        tap.count('event in progress', GROUP),
        tap.count('batch failed'),
      ].join(',');
    const deadline = Date.now() + settleTimeoutMs;
    let settled = false;
    let last = '';
    let stable = 0;
    while (Date.now() < deadline) {
      await sleep(SETTLE_POLL_MS);
      const now = outcomes();
      const empty = (await queueDepth(sqs, queues.queueUrl)) === 0;
      stable = empty && now === last ? stable + 1 : 0;
      last = now;
      if (stable >= STABLE_POLLS) {
        settled = true;
        break;
      }
    }
    const deadLettered = await queueDepth(sqs, queues.dlqUrl);

    const handled = plan.events.filter((event) => (effects.get(event.webhookId) ?? 0) > 0).length;
    return {
      sent: plan.events.length,
      deliveries: plan.deliveries.length,
      duplicateDeliveries: plan.duplicated,
      gzipped: plan.gzipped,
      rejected,
      retried,
      handled,
      duplicatesSkipped: tap.count('event duplicate', GROUP),
      lost: plan.events.length - handled,
      handledTwice: [...effects.values()].filter((runs) => runs > 1).length,
      recordFailures:
        tap.count('handler failed', GROUP) +
        tap.count('event in progress', GROUP) +
        tap.count('claim failed', GROUP) +
        tap.count('message undecodable', GROUP),
      deadLettered,
      settled,
      sendMs: Math.round(sendMs),
      wallMs: Math.round(performance.now() - started),
      dedupe,
    };
  } finally {
    sqs?.destroy();
    await pipeline?.stop();
    tap.restore();
  }
}
