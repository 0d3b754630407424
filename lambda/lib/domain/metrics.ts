/**
 * What the pipeline counts, as CloudWatch metrics in the stack's namespace
 * (`StreamEvents/<stack name>`, see contract/env/metrics.ts). The Lambdas print them in Embedded
 * Metric Format through Powertools Metrics (CloudWatch Logs turns the printed line into metrics,
 * so there is no metrics client and no PutMetricData call); `npm run dev` and the tests pass
 * another sink.
 */

export type CountedMetric =
  /** The verifier got a request (before any check). */
  | 'EventsReceived'
  /** The verifier refused a request; dimension `reason` (a RejectionReason). */
  | 'EventsRejected'
  /** The verifier put an event on a group's queue; dimensions `group`, `family`. */
  | 'EventsEnqueued'
  /** The verifier took an event no consumer group's patterns match (acknowledged, not queued). */
  | 'EventsUnrouted'
  /** A consumer ran the group's handler for an event. */
  | 'EventsHandled'
  /** A consumer skipped an event its group had already handled. */
  | 'EventsDuplicate'
  /** A consumer failed a record (undecodable, handler threw, claim store failed): SQS retries it. */
  | 'EventsFailed'
  /** A consumer dropped an event outside its group's patterns (SNS without a payload filter). */
  | 'EventsFiltered'
  /** A consumer acknowledged an event no handler of the group takes. */
  | 'EventsUnhandled';

/**
 * The dimensions of one count besides `service` (which every count has). Each distinct set of
 * names and values is a custom metric CloudWatch bills, so only a few, low-cardinality ones are
 * used: `reason`, `group`, `family`.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

/**
 * Where handlers count. `count` only adds up in memory; `flush` writes what was counted since the
 * last flush, once per invocation, at its end.
 */
export interface MetricsSink {
  count(metric: CountedMetric, dimensions?: MetricDimensions): void;
  flush(): void;
}

/** One metric's total for one dimension set. */
export interface CountedTotal {
  readonly metric: CountedMetric;
  readonly dimensions: MetricDimensions;
  readonly value: number;
}

/** Adds counts up by metric and dimensions; `drain` hands the totals over and starts again. */
export class Tally {
  #totals = new Map<string, CountedTotal>();

  add(metric: CountedMetric, dimensions: MetricDimensions = {}): void {
    const key = JSON.stringify([metric, dimensionsKey(dimensions)]);
    const value = (this.#totals.get(key)?.value ?? 0) + 1;
    this.#totals.set(key, { metric, dimensions, value });
  }

  drain(): CountedTotal[] {
    const totals = [...this.#totals.values()];
    this.#totals = new Map();
    return totals;
  }
}

export function dimensionsKey(dimensions: MetricDimensions): string {
  return JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
}

/** Counts nothing: the default of the handler factories, for tests that do not look. */
export const silentMetrics: MetricsSink = { count: () => undefined, flush: () => undefined };
