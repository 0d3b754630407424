import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from './logger.js';
import { metricNamespace } from '../../../contract/env/metrics.js';
import { dimensionsKey, Tally, type CountedTotal, type MetricsSink } from '../domain/metrics.js';

/**
 * The Lambdas' sink: Powertools Metrics, in the namespace of `POWERTOOLS_METRICS_NAMESPACE` (else
 * `StreamEvents`), dimension `service` from `serviceName`. An EMF document has one list of
 * dimension sets for all its metrics, so `flush` prints one document per distinct dimension set (a
 * typical invocation: one to three lines), each with every metric counted under it; a flush with
 * nothing counted prints nothing at all.
 */
export function powertoolsMetrics(
  serviceName: string,
  metrics: Metrics = new Metrics({ namespace: metricNamespace(process.env), serviceName }),
): MetricsSink {
  const tally = new Tally();
  return {
    count: (metric, dimensions) => tally.add(metric, dimensions),
    flush: () => {
      const bySet = new Map<string, CountedTotal[]>();
      for (const total of tally.drain()) {
        const key = dimensionsKey(total.dimensions);
        bySet.set(key, [...(bySet.get(key) ?? []), total]);
      }
      for (const totals of bySet.values()) {
        const [first] = totals;
        if (first === undefined) continue;
        for (const [name, value] of Object.entries(first.dimensions)) {
          metrics.addDimension(name, value);
        }
        for (const { metric, value } of totals) metrics.addMetric(metric, MetricUnit.Count, value);
        metrics.publishStoredMetrics();
      }
    },
  };
}

/**
 * `npm run dev`'s sink: no EMF documents among the log lines (one JSON line per event stays the
 * contract), but the invocation's totals as one `metrics` line at debug level (LOG_LEVEL=DEBUG).
 */
export function loggedMetrics(logger: Logger): MetricsSink {
  const tally = new Tally();
  return {
    count: (metric, dimensions) => tally.add(metric, dimensions),
    flush: () => {
      const totals = tally.drain();
      if (totals.length > 0) logger.debug('metrics', { counts: totals });
    },
  };
}
