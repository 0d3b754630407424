import type { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { VERIFIER_SERVICE } from '../contract/env/common.js';

/**
 * The custom metrics the Lambdas print (lambda/lib/adapters/metrics.ts), as CloudWatch metric objects for
 * alarms and the dashboard. The names and dimension values here must match what the Lambdas
 * write: `service` is the name each function passes to `powertoolsMetrics`, and `namespace` the
 * one the stack writes into the functions (contract/env/metrics.ts).
 */
export { DEFAULT_METRIC_NAMESPACE } from '../contract/env/metrics.js';

/** The verifier's `reason` when X-Signature does not match the body (lambda/lib/domain/delivery.ts). */
export const BAD_SIGNATURE_REASON = 'bad_signature';

/** The verifier's count of requests refused for `reason`, summed over `period`. */
export function rejectedMetric(namespace: string, reason: string, period: Duration): Metric {
  return new Metric({
    namespace,
    metricName: 'EventsRejected',
    dimensionsMap: { service: VERIFIER_SERVICE, reason },
    statistic: 'Sum',
    period,
  });
}

/** The verifier's count of requests received, summed over `period`. */
export function receivedMetric(namespace: string, period: Duration): Metric {
  return new Metric({
    namespace,
    metricName: 'EventsReceived',
    dimensionsMap: { service: VERIFIER_SERVICE },
    statistic: 'Sum',
    period,
  });
}

/**
 * Every series of `metricName` whose dimensions are exactly `dimensionNames` (plus `service`),
 * filtered by `filter` (e.g. `group="chat"`): one line per value of the dimensions not filtered,
 * without listing the values (reasons, families) in the stack.
 */
export function searchOf(
  namespace: string,
  metricName: string,
  dimensionNames: readonly string[],
  filter: string,
  label: string,
  period: Duration,
): MathExpression {
  // Quoted: the schema needs double quotes around a name with non-alphanumeric characters (the
  // stack's namespace has a `/`, its stack name may have `-`).
  const schema = [JSON.stringify(namespace), 'service', ...dimensionNames].join(',');
  return new MathExpression({
    expression:
      `SEARCH('{${schema}} MetricName="${metricName}" ${filter}', ` +
      `'Sum', ${period.toSeconds()})`,
    usingMetrics: {},
    label,
    period,
  });
}
