import {
  COST_PATHS,
  DEFAULT_ASSUMPTIONS,
  OVERHEAD,
  base64Bytes,
  pathCost,
  type CostAssumptions,
  type PathCost,
  type StackSettings,
} from './model.js';
import { PRICE_NAMES, type PriceBook } from './prices.js';

export interface CostReport {
  readonly region: string;
  readonly pricesChecked: string;
  readonly stack: StackSettings;
  readonly assumptions: CostAssumptions;
  readonly paths: readonly PathCost[];
  /** Prices taken as last known, not re-read on the day checked. */
  readonly unconfirmedPrices: readonly string[];
}

export function costReport(
  stack: StackSettings,
  assumptions: CostAssumptions,
  book: PriceBook,
): CostReport {
  return {
    region: book.region,
    pricesChecked: book.checked,
    stack,
    assumptions,
    paths: COST_PATHS.map((path) => pathCost(path, stack, assumptions, book)),
    unconfirmedPrices: PRICE_NAMES.filter((name) => book.prices[name].confirmed === false),
  };
}

export function defaultAssumptions(eventsPerMonth: number): CostAssumptions {
  return { ...DEFAULT_ASSUMPTIONS, eventsPerMonth };
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const dollars = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

export function usd(value: number): string {
  return `$${dollars.format(value)}`;
}

/** The human-readable report: each path's line items and total, then every assumption. */
export function formatReport(report: CostReport): string {
  const a = report.assumptions;
  const s = report.stack;
  const lines = [
    `Monthly cost at ${count.format(a.eventsPerMonth)} events, ${report.region} list prices ` +
      `checked ${report.pricesChecked}, free tiers ignored`,
    '',
  ];
  for (const path of report.paths) {
    lines.push(`${path.path} path`);
    for (const item of path.items) {
      const quantity = `${count.format(item.quantity)} ${item.unit}`;
      lines.push(
        `  ${item.name.padEnd(52)} ${quantity.padStart(26)} ${usd(item.usd).padStart(13)}`,
      );
    }
    lines.push(`  ${'total'.padEnd(52)} ${''.padStart(26)} ${usd(path.totalUsd).padStart(13)}`, '');
  }
  const queueKb = (bytes: number) => `${count.format(bytes / 1_024)} KB`;
  lines.push(
    'Assumptions',
    `  event ${a.eventKb} KB as Stream sends it; on a queue as base64: ${queueKb(base64Bytes(a.eventKb))} ` +
      `(+${OVERHEAD.verifierAttributeBytes} B of attributes from the verifier; SNS delivers raw)`,
    `  verifier: ${s.verifierMemoryMb} MB (the stack's setting), ${a.verifierMsPerEvent} ms per delivery`,
    `  consumer: ${s.consumerMemoryMb} MB (the stack's setting), batch size ${s.batchSize}, ` +
      `${a.consumerMsPerEvent} ms per event, records processed one after another`,
    `  consumer groups: ${s.groups}, each assumed to take every event; ${s.fifo ? 'FIFO' : 'standard'} queues; ` +
      `${s.alarms} alarms and ${s.dashboards} dashboard(s), as the stack creates them`,
    `  claims: ${a.claimWritesPerEvent} DynamoDB writes per event (Powertools idempotency: conditional put, ` +
      'then update), each under 1 KB; no reads on first delivery',
    `  logs: verifier ${a.verifierLogBytesPerEvent} B + access log ${a.accessLogBytesPerRequest} B per delivery; ` +
      `consumer ${a.consumerLogBytesPerEvent} B per event + ${a.consumerLogBytesPerInvocation} B per invocation`,
    `  custom metrics: ${a.verifierMetrics} from the verifier, ${a.consumerMetricsPerGroup} per consumer group; ` +
      `${count.format(a.secretReadsPerMonth)} GetSecretValue calls a month; ` +
      `SNS reuses a data key for 5 minutes (${a.snsPublishers} publisher)`,
    "  Stream's SQS writes are billed to the queue owner (this account); its SNS publishes are " +
      'counted here too, an upper bound if AWS bills them to Stream as the publisher',
    '  not priced: free tiers, idle long polls of empty queues, retries and redeliveries, DLQs, ' +
      'data transfer, log storage, large events stored in S3, ' +
      "Stream's synchronous hooks",
  );
  if (report.unconfirmedPrices.length > 0) {
    lines.push(
      `  prices not re-read on ${report.pricesChecked}: ${report.unconfirmedPrices.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
