import { tieredCost, type PriceBook, type PriceName } from './prices.js';

/** The three ways Stream can deliver into the stack. */
export const COST_PATHS = ['webhook', 'sqs', 'sns'] as const;
export type CostPath = (typeof COST_PATHS)[number];

/** What the stack is configured with (read from the synthesized stack: see stack-settings.ts). */
export interface StackSettings {
  readonly verifierMemoryMb: number;
  readonly consumerMemoryMb: number;
  /** Records per consumer invocation (the event source mapping's batch size). */
  readonly batchSize: number;
  /** Consumer groups; the model assumes every group takes every event (an upper bound). */
  readonly groups: number;
  /** Per-entity ordering: FIFO queues, priced as such. */
  readonly fifo: boolean;
  /** CloudWatch alarms and dashboards the stack creates (with every path deployed). */
  readonly alarms: number;
  readonly dashboards: number;
}

/** Workload and runtime assumptions; every one is printed beside the result. */
export interface CostAssumptions {
  readonly eventsPerMonth: number;
  /** The event as Stream sends it (uncompressed JSON), in KB. */
  readonly eventKb: number;
  readonly verifierMsPerEvent: number;
  readonly consumerMsPerEvent: number;
  /** Powertools idempotency: a conditional put (INPROGRESS), then an update (COMPLETED). */
  readonly claimWritesPerEvent: number;
  /**
   * The verifier's log per delivery: Lambda's START / END / REPORT lines and its EMF document (its
   * own `webhook queued` line is debug level, off by default).
   */
  readonly verifierLogBytesPerEvent: number;
  /** The HTTP API's JSON access log line per request. */
  readonly accessLogBytesPerRequest: number;
  /** The consumer's own line per event (`event handled`). */
  readonly consumerLogBytesPerEvent: number;
  /** START / END / REPORT and the EMF document, per consumer invocation. */
  readonly consumerLogBytesPerInvocation: number;
  /**
   * Distinct metric × dimension sets each function reports (lambda/lib/adapters/metrics.ts): the verifier's
   * counts by rejection reason and by group and product family; a consumer's five counts per group.
   */
  readonly verifierMetrics: number;
  readonly consumerMetricsPerGroup: number;
  /** GetSecretValue calls: one per verifier container plus the once-a-minute re-reads. */
  readonly secretReadsPerMonth: number;
  /** Principals publishing to the SNS topic (Stream's one). */
  readonly snsPublishers: number;
}

export const DEFAULT_ASSUMPTIONS: Omit<CostAssumptions, 'eventsPerMonth'> = {
  eventKb: 2,
  verifierMsPerEvent: 20,
  consumerMsPerEvent: 15,
  claimWritesPerEvent: 2,
  verifierLogBytesPerEvent: 800,
  accessLogBytesPerRequest: 300,
  consumerLogBytesPerEvent: 350,
  consumerLogBytesPerInvocation: 700,
  verifierMetrics: 15,
  consumerMetricsPerGroup: 10,
  secretReadsPerMonth: 10_000,
  snsPublishers: 1,
};

/**
 * Fixed sizes the model adds to an event on its way. SNS adds none: the stack subscribes the
 * queues with raw message delivery (lib/stream-topic.ts), so the queue gets the published body.
 */
export const OVERHEAD = {
  /** The message attributes the verifier sets (webhook id, attempt, type, received-at, source). */
  verifierAttributeBytes: 512,
  /** A claim record: key hash, status, expirations: well under DynamoDB's 1 KB write unit. */
  claimItemKb: 1,
} as const;

const MONTH_SECONDS = 30 * 24 * 3_600;
/** SNS reuses a data key for up to 5 minutes; KMS calls = month / 300 s × 2 × publishers. */
const SNS_DATA_KEY_REUSE_SECONDS = 300;
const GIB = 1_024 ** 3;

export interface LineItem {
  readonly name: string;
  readonly quantity: number;
  /** What `quantity` counts, e.g. "requests", "GB-s". */
  readonly unit: string;
  readonly price: PriceName;
  readonly usd: number;
}

export interface PathCost {
  readonly path: CostPath;
  readonly items: readonly LineItem[];
  readonly totalUsd: number;
}

type Usage = Omit<LineItem, 'usd'>;

/** The month's cost of one delivery path, every line item and the total. */
export function pathCost(
  path: CostPath,
  stack: StackSettings,
  assumptions: CostAssumptions,
  book: PriceBook,
): PathCost {
  const usage = [
    ...ingressUsage(path, stack, assumptions, book),
    ...consumerUsage(path, stack, assumptions, book),
  ];
  const items = priced(usage, book);
  return { path, items, totalUsd: items.reduce((sum, item) => sum + item.usd, 0) };
}

/** Base64 of the JSON, as Stream writes to SQS / SNS and the verifier enqueues. */
export function base64Bytes(eventKb: number): number {
  return Math.ceil((eventKb * 1_024) / 3) * 4;
}

/** How many billed requests one call carrying `bytes` is (each started chunk counts). */
export function chunks(bytes: number, chunkKb: number): number {
  return Math.max(1, Math.ceil(bytes / (chunkKb * 1_024)));
}

function queueMessageBytes(path: CostPath, eventKb: number): number {
  const body = base64Bytes(eventKb);
  return path === 'webhook' ? body + OVERHEAD.verifierAttributeBytes : body;
}

function sqsPrice(stack: StackSettings): PriceName {
  return stack.fifo ? 'sqsFifoRequests' : 'sqsStandardRequests';
}

function chunkKbOf(book: PriceBook, name: PriceName): number {
  const kb = book.prices[name].chunkKb;
  if (kb === undefined) throw new Error(`price book: ${name} needs chunkKb`);
  return kb;
}

function ingressUsage(
  path: CostPath,
  stack: StackSettings,
  a: CostAssumptions,
  book: PriceBook,
): Usage[] {
  const n = a.eventsPerMonth;
  const deliveries = n * stack.groups;
  const sqs = sqsPrice(stack);
  const sqsChunk = chunkKbOf(book, sqs);
  const message = queueMessageBytes(path, a.eventKb);
  if (path === 'webhook') {
    const metered = book.prices.apiGatewayHttpRequests.meteredKb ?? 512;
    return [
      {
        name: 'API Gateway HTTP API requests',
        quantity: n * chunks(a.eventKb * 1_024, metered),
        unit: 'requests',
        price: 'apiGatewayHttpRequests',
      },
      { name: 'verifier Lambda requests', quantity: n, unit: 'requests', price: 'lambdaRequests' },
      {
        name: 'verifier Lambda compute (arm64)',
        quantity: gbSeconds(n, a.verifierMsPerEvent, stack.verifierMemoryMb),
        unit: 'GB-s',
        price: 'lambdaArmGbSecond',
      },
      {
        name: 'SQS SendMessage (verifier)',
        quantity: deliveries * chunks(message, sqsChunk),
        unit: 'requests',
        price: sqs,
      },
      {
        name: 'Secrets Manager secret',
        quantity: 1,
        unit: 'secret-months',
        price: 'secretsManagerSecretMonth',
      },
      {
        name: 'Secrets Manager GetSecretValue',
        quantity: a.secretReadsPerMonth,
        unit: 'calls',
        price: 'secretsManagerApiCalls',
      },
      {
        name: 'CloudWatch Logs (verifier and API access log)',
        quantity: (n * (a.verifierLogBytesPerEvent + a.accessLogBytesPerRequest)) / GIB,
        unit: 'GB',
        price: 'cloudwatchLogsIngestionGb',
      },
      {
        name: 'CloudWatch custom metrics (verifier, EMF)',
        quantity: a.verifierMetrics,
        unit: 'metric-months',
        price: 'cloudwatchCustomMetricMonth',
      },
    ];
  }
  if (path === 'sqs') {
    return [
      {
        // The queue owner pays for the requests other accounts (Stream's) make to its queue.
        name: "SQS SendMessage (Stream's, billed to the queue owner)",
        quantity: deliveries * chunks(message, sqsChunk),
        unit: 'requests',
        price: sqs,
      },
    ];
  }
  const published = base64Bytes(a.eventKb);
  return [
    {
      name: 'SNS Publish',
      quantity: n * chunks(published, chunkKbOf(book, 'snsPublishRequests')),
      unit: 'requests',
      price: 'snsPublishRequests',
    },
    {
      name: 'SNS → SQS deliveries',
      quantity: deliveries,
      unit: 'deliveries',
      price: 'snsSqsDeliveries',
    },
    { name: "KMS key (the topic's CMK)", quantity: 1, unit: 'key-months', price: 'kmsKeyMonth' },
    {
      name: 'KMS requests (SNS data keys)',
      quantity: (MONTH_SECONDS / SNS_DATA_KEY_REUSE_SECONDS) * 2 * a.snsPublishers,
      unit: 'requests',
      price: 'kmsRequests',
    },
  ];
}

function consumerUsage(
  path: CostPath,
  stack: StackSettings,
  a: CostAssumptions,
  book: PriceBook,
): Usage[] {
  const records = a.eventsPerMonth * stack.groups;
  const invocations = records / stack.batchSize;
  const sqs = sqsPrice(stack);
  const batchBytes = stack.batchSize * queueMessageBytes(path, a.eventKb);
  return [
    {
      name: 'SQS ReceiveMessage (event source mapping)',
      quantity: invocations * chunks(batchBytes, chunkKbOf(book, sqs)),
      unit: 'requests',
      price: sqs,
    },
    { name: 'SQS DeleteMessageBatch', quantity: invocations, unit: 'requests', price: sqs },
    {
      name: 'consumer Lambda requests',
      quantity: invocations,
      unit: 'requests',
      price: 'lambdaRequests',
    },
    {
      name: 'consumer Lambda compute (arm64)',
      quantity: gbSeconds(records, a.consumerMsPerEvent, stack.consumerMemoryMb),
      unit: 'GB-s',
      price: 'lambdaArmGbSecond',
    },
    {
      name: 'DynamoDB claim writes (on-demand)',
      quantity: records * a.claimWritesPerEvent * OVERHEAD.claimItemKb,
      unit: 'WRU',
      price: 'dynamodbOnDemandWrites',
    },
    {
      name: 'CloudWatch Logs (consumer)',
      quantity:
        (records * a.consumerLogBytesPerEvent + invocations * a.consumerLogBytesPerInvocation) /
        GIB,
      unit: 'GB',
      price: 'cloudwatchLogsIngestionGb',
    },
    {
      name: 'CloudWatch custom metrics (consumers, EMF)',
      quantity: a.consumerMetricsPerGroup * stack.groups,
      unit: 'metric-months',
      price: 'cloudwatchCustomMetricMonth',
    },
    {
      name: "CloudWatch alarms (the stack's)",
      quantity: stack.alarms,
      unit: 'alarm-months',
      price: 'cloudwatchAlarmMonth',
    },
    {
      name: "CloudWatch dashboards (the stack's)",
      quantity: stack.dashboards,
      unit: 'dashboard-months',
      price: 'cloudwatchDashboardMonth',
    },
  ];
}

function gbSeconds(events: number, msPerEvent: number, memoryMb: number): number {
  return ((events * msPerEvent) / 1_000) * (memoryMb / 1_024);
}

/**
 * Prices each line. Line items that share a price share its volume tiers (SQS sends, receives
 * and deletes count toward one monthly total), each paying its share of the tiered cost.
 */
function priced(usage: readonly Usage[], book: PriceBook): LineItem[] {
  const totals = new Map<PriceName, number>();
  for (const item of usage) totals.set(item.price, (totals.get(item.price) ?? 0) + item.quantity);
  return usage.map((item) => {
    const total = totals.get(item.price) ?? 0;
    const usd =
      total === 0 ? 0 : (tieredCost(book.prices[item.price], total) * item.quantity) / total;
    return { ...item, usd };
  });
}
