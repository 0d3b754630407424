import { describe, expect, it } from 'vitest';
import {
  pathCost,
  type CostAssumptions,
  type LineItem,
  type StackSettings,
} from '../../../scripts/cost/model.js';
import {
  PRICE_NAMES,
  tieredCost,
  type Price,
  type PriceBook,
  type PriceName,
} from '../../../scripts/cost/prices.js';

/** Round prices, so every expected dollar figure below can be checked by hand. */
function flat(usd: number, per: number, extra: Partial<Price> = {}): Price {
  return {
    unit: 'test',
    per,
    tiers: [{ upTo: null, usd }],
    source: 'test',
    confirmed: 'test',
    ...extra,
  };
}

const PRICES: Record<PriceName, Price> = {
  apiGatewayHttpRequests: flat(1, 1e6, { meteredKb: 512 }),
  lambdaArmGbSecond: flat(0.00001, 1),
  lambdaRequests: flat(0.2, 1e6),
  sqsStandardRequests: flat(0.4, 1e6, { chunkKb: 64 }),
  sqsFifoRequests: flat(0.5, 1e6, { chunkKb: 64 }),
  snsPublishRequests: flat(0.5, 1e6, { chunkKb: 64 }),
  snsSqsDeliveries: flat(0, 1e6),
  dynamodbOnDemandWrites: flat(1, 1e6),
  dynamodbOnDemandReads: flat(0.25, 1e6),
  secretsManagerSecretMonth: flat(0.4, 1),
  secretsManagerApiCalls: flat(0.05, 1e4),
  kmsKeyMonth: flat(1, 1),
  kmsRequests: flat(0.03, 1e4),
  cloudwatchLogsIngestionGb: flat(0.5, 1),
  cloudwatchCustomMetricMonth: flat(0.3, 1),
  cloudwatchAlarmMonth: flat(0.1, 1),
  cloudwatchDashboardMonth: flat(3, 1),
};
const BOOK: PriceBook = {
  region: 'us-east-1',
  currency: 'USD',
  checked: '2026-11-23',
  prices: PRICES,
};

const STACK: StackSettings = {
  verifierMemoryMb: 512,
  consumerMemoryMb: 1_024,
  batchSize: 10,
  groups: 1,
  fifo: false,
  alarms: 4,
  dashboards: 1,
};
const A: CostAssumptions = {
  eventsPerMonth: 1_000_000,
  eventKb: 3, // base64: 4,096 B; + 512 B of attributes = 4,608 B on the queue: one 64 KB chunk
  verifierMsPerEvent: 100,
  consumerMsPerEvent: 50,
  claimWritesPerEvent: 2,
  verifierLogBytesPerEvent: 1_000,
  accessLogBytesPerRequest: 300,
  consumerLogBytesPerEvent: 350,
  consumerLogBytesPerInvocation: 700,
  verifierMetrics: 15,
  consumerMetricsPerGroup: 10,
  secretReadsPerMonth: 10_000,
  snsPublishers: 1,
};
const GIB = 1_024 ** 3;

function item(items: readonly LineItem[], prefix: string): LineItem {
  const found = items.find((i) => i.name.startsWith(prefix));
  if (!found) throw new Error(`no line item "${prefix}" in ${items.map((i) => i.name).join(', ')}`);
  return found;
}

describe('the webhook path, 1 M events of 3 KB', () => {
  const cost = pathCost('webhook', STACK, A, BOOK);

  it('prices every request, compute second, write, log byte and metric', () => {
    const usd = (prefix: string) => item(cost.items, prefix).usd;
    expect(usd('API Gateway')).toBeCloseTo(1.0, 10); // 1 M requests under 512 KB at $1/M
    expect(usd('verifier Lambda requests')).toBeCloseTo(0.2, 10);
    expect(usd('verifier Lambda compute')).toBeCloseTo(0.5, 10); // 1 M × 0.1 s × 0.5 GB = 50,000 GB-s
    expect(usd('SQS SendMessage')).toBeCloseTo(0.4, 10); // 1 M sends, one chunk each
    expect(usd('SQS ReceiveMessage')).toBeCloseTo(0.04, 10); // 100,000 batches of 46,080 B: one chunk
    expect(usd('SQS DeleteMessageBatch')).toBeCloseTo(0.04, 10);
    expect(usd('Secrets Manager secret')).toBeCloseTo(0.4, 10);
    expect(usd('Secrets Manager GetSecretValue')).toBeCloseTo(0.05, 10);
    expect(usd('CloudWatch Logs (verifier')).toBeCloseTo(((1e6 * 1_300) / GIB) * 0.5, 10);
    expect(usd('consumer Lambda requests')).toBeCloseTo(0.02, 10);
    expect(usd('consumer Lambda compute')).toBeCloseTo(0.5, 10); // 1 M × 0.05 s × 1 GB
    expect(usd('DynamoDB claim writes')).toBeCloseTo(2.0, 10); // put + update per event
    expect(usd('CloudWatch Logs (consumer')).toBeCloseTo(((1e6 * 350 + 1e5 * 700) / GIB) * 0.5, 10);
    expect(usd('CloudWatch custom metrics (verifier')).toBeCloseTo(4.5, 10); // 15 × $0.30
    expect(usd('CloudWatch custom metrics (consumers')).toBeCloseTo(3.0, 10); // 10 × $0.30
    expect(usd('CloudWatch alarms')).toBeCloseTo(0.4, 10); // 4 × $0.10
    expect(usd('CloudWatch dashboards')).toBeCloseTo(3.0, 10);
  });

  it('totals its line items', () => {
    const logs = ((1e6 * 1_300 + 1e6 * 350 + 1e5 * 700) / GIB) * 0.5;
    expect(cost.totalUsd).toBeCloseTo(
      1 + 0.2 + 0.5 + 0.48 + 0.45 + 0.02 + 0.5 + 2 + 7.5 + 3.4 + logs,
      10,
    );
  });
});

describe('the sqs path', () => {
  it("bills Stream's writes to the queue owner, per 64 KB chunk, with no API, verifier or secret", () => {
    // 100 KB as base64 is 136,536 B: 3 chunks to send; a batch of 10 is 1,365,360 B: 21 chunks.
    const cost = pathCost('sqs', STACK, { ...A, eventKb: 100 }, BOOK);

    expect(item(cost.items, 'SQS SendMessage').quantity).toBe(3_000_000);
    expect(item(cost.items, 'SQS ReceiveMessage').quantity).toBe(2_100_000);
    expect(cost.items.map((i) => i.name).join()).not.toMatch(
      /API Gateway|verifier|Secrets Manager/,
    );
  });

  it('prices FIFO queues at the FIFO rate', () => {
    const cost = pathCost('sqs', { ...STACK, fifo: true }, A, BOOK);

    expect(item(cost.items, 'SQS SendMessage')).toMatchObject({
      price: 'sqsFifoRequests',
      usd: 0.5,
    });
  });

  it('multiplies the consumer side by the number of groups', () => {
    const one = pathCost('sqs', STACK, A, BOOK);
    const three = pathCost('sqs', { ...STACK, groups: 3 }, A, BOOK);

    expect(item(three.items, 'DynamoDB').quantity).toBe(3 * item(one.items, 'DynamoDB').quantity);
  });
});

describe('the sns path', () => {
  it('meters the publish per 64 KB chunk and delivers the raw body to the queue, free', () => {
    const cost = pathCost('sns', STACK, { ...A, eventKb: 100 }, BOOK);

    expect(item(cost.items, 'SNS Publish').quantity).toBe(3_000_000);
    expect(item(cost.items, 'SNS → SQS').usd).toBe(0);
    expect(item(cost.items, 'SQS ReceiveMessage').quantity).toBe(2_100_000);
  });

  it("adds the topic's key and SNS's data-key calls, which do not grow with events", () => {
    const small = pathCost('sns', STACK, A, BOOK);
    const large = pathCost('sns', STACK, { ...A, eventsPerMonth: 1e9 }, BOOK);

    // 30 days / 300 s of data-key reuse × 2 calls × 1 publisher = 17,280 requests.
    expect(item(small.items, 'KMS requests')).toMatchObject({ quantity: 17_280 });
    expect(item(small.items, 'KMS requests').usd).toBeCloseTo(0.05184, 10);
    expect(item(large.items, 'KMS requests').quantity).toBe(17_280);
    expect(item(small.items, 'KMS key').usd).toBe(1);
    expect(item(small.items, 'SNS Publish').usd).toBeCloseTo(0.5, 10);
  });
});

describe('volume tiers', () => {
  it('charges each tier at its own rate', () => {
    const api: Price = {
      ...PRICES.apiGatewayHttpRequests,
      tiers: [
        { upTo: 300e6, usd: 1 },
        { upTo: null, usd: 0.9 },
      ],
    };

    expect(tieredCost(api, 400e6)).toBeCloseTo(300 + 90, 10);
    expect(tieredCost(api, 100e6)).toBeCloseTo(100, 10);
  });

  it('counts line items that share a price toward one monthly volume', () => {
    const sqs: Price = {
      ...PRICES.sqsStandardRequests,
      tiers: [
        { upTo: 1e6, usd: 0.4 },
        { upTo: null, usd: 0.2 },
      ],
    };
    const cost = pathCost('webhook', STACK, A, {
      ...BOOK,
      prices: { ...PRICES, sqsStandardRequests: sqs },
    });
    const sqsUsd = cost.items
      .filter((i) => i.price === 'sqsStandardRequests')
      .reduce((s, i) => s + i.usd, 0);

    // 1.2 M requests in all: 1 M at $0.40/M and 0.2 M at $0.20/M.
    expect(sqsUsd).toBeCloseTo(0.44, 10);
    expect(item(cost.items, 'SQS SendMessage').usd).toBeCloseTo(0.44 / 1.2, 10);
  });
});

it('the test price book names every price the model uses', () => {
  expect(Object.keys(PRICES).sort()).toEqual([...PRICE_NAMES].sort());
});
