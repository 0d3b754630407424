import { readFileSync } from 'node:fs';

/** A volume tier: `usd` per `per` units, for usage up to `upTo` units in the month (null: no cap). */
export interface PriceTier {
  readonly upTo: number | null;
  readonly usd: number;
}

export interface Price {
  readonly unit: string;
  /** How many units `usd` buys: 1,000,000 for "per million requests", 1 for "per GB-second". */
  readonly per: number;
  readonly tiers: readonly PriceTier[];
  /** SQS and SNS bill each chunk of this many KB of a payload as one request. */
  readonly chunkKb?: number;
  /** API Gateway HTTP APIs meter a request in increments of this many KB. */
  readonly meteredKb?: number;
  readonly source: string;
  /** Where the number was read on the day checked, or false when it was not re-read. */
  readonly confirmed: string | false;
}

export const PRICE_NAMES = [
  'apiGatewayHttpRequests',
  'lambdaArmGbSecond',
  'lambdaRequests',
  'sqsStandardRequests',
  'sqsFifoRequests',
  'snsPublishRequests',
  'snsSqsDeliveries',
  'dynamodbOnDemandWrites',
  'dynamodbOnDemandReads',
  'secretsManagerSecretMonth',
  'secretsManagerApiCalls',
  'kmsKeyMonth',
  'kmsRequests',
  'cloudwatchLogsIngestionGb',
  'cloudwatchCustomMetricMonth',
  'cloudwatchAlarmMonth',
  'cloudwatchDashboardMonth',
] as const;

export type PriceName = (typeof PRICE_NAMES)[number];

export interface PriceBook {
  readonly region: string;
  readonly currency: string;
  /** The day the prices were checked (YYYY-MM-DD). */
  readonly checked: string;
  readonly prices: Readonly<Record<PriceName, Price>>;
}

/** The list prices the cost model uses: scripts/cost/aws-prices.json, the one place they live. */
export const PRICES_FILE = new URL('./aws-prices.json', import.meta.url);

export function loadPriceBook(file: URL | string = PRICES_FILE): PriceBook {
  return parsePriceBook(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

/** Checks the file's shape, so a typo in a price fails loudly instead of costing $0. */
export function parsePriceBook(value: unknown): PriceBook {
  const book = value as Partial<PriceBook> | null;
  if (!book || typeof book !== 'object' || typeof book.checked !== 'string' || !book.prices) {
    throw new Error('price book: expected {region, currency, checked, prices}');
  }
  for (const name of PRICE_NAMES) {
    const price = (book.prices as Partial<Record<PriceName, Price>>)[name];
    if (!price) throw new Error(`price book: no price "${name}"`);
    if (!(price.per > 0)) throw new Error(`price book: ${name}.per must be positive`);
    const { tiers } = price;
    if (!Array.isArray(tiers) || tiers.length === 0 || tiers.at(-1)?.upTo !== null) {
      throw new Error(`price book: ${name}.tiers must end with an uncapped tier (upTo: null)`);
    }
    if (tiers.some((tier) => !(tier.usd >= 0))) {
      throw new Error(`price book: ${name} has a tier without a non-negative usd`);
    }
  }
  return book as PriceBook;
}

/** What `units` of usage cost in a month, each tier at its own rate. */
export function tieredCost(price: Price, units: number): number {
  let usd = 0;
  let billed = 0;
  for (const tier of price.tiers) {
    const cap = tier.upTo ?? Number.POSITIVE_INFINITY;
    const inTier = Math.min(units, cap) - billed;
    if (inTier <= 0) break;
    usd += (inTier / price.per) * tier.usd;
    billed += inTier;
  }
  return usd;
}
