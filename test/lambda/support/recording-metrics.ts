import {
  Tally,
  type CountedMetric,
  type CountedTotal,
  type MetricDimensions,
  type MetricsSink,
} from '../../../lambda/lib/domain/metrics.js';

/** A metrics sink that keeps what each flush wrote, for handler tests to assert on. */
export interface RecordingMetrics extends MetricsSink {
  /** One entry per flush: the totals it wrote (an empty flush is recorded too). */
  readonly flushes: readonly (readonly CountedTotal[])[];
  /** The flushed sum of `metric` over every dimension set that includes `dimensions`. */
  total(metric: CountedMetric, dimensions?: MetricDimensions): number;
}

export function recordingMetrics(): RecordingMetrics {
  const tally = new Tally();
  const flushes: CountedTotal[][] = [];
  return {
    flushes,
    count: (metric, dimensions) => tally.add(metric, dimensions),
    flush: () => {
      flushes.push(tally.drain());
    },
    total: (metric, dimensions = {}) =>
      flushes
        .flat()
        .filter(
          (total) =>
            total.metric === metric &&
            Object.entries(dimensions).every(([name, value]) => total.dimensions[name] === value),
        )
        .reduce((sum, total) => sum + total.value, 0),
  };
}
