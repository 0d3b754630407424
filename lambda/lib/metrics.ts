/**
 * Counts as CloudWatch Embedded Metric Format: the fields below, added to a log line, make
 * CloudWatch Logs record a metric of 1 from that very line, so what is logged is what is counted
 * and no metrics client (nor a metric filter per count) is needed.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const METRIC_NAMESPACE = 'StreamEvents';

export type CountedOutcome =
  /** The verifier took an event no consumer group's patterns match (acknowledged, not queued). */
  | 'EventsUnrouted'
  /** A consumer dropped an event outside its group's patterns (SNS without a payload filter). */
  | 'EventsFiltered'
  /** A consumer skipped an event its group had already handled. */
  | 'EventsDuplicate';

/**
 * The fields that count one `metric`, by the dimensions named (each must be a field of the same
 * log line: `service` always is, `group` is on every consumer line).
 */
export function countOne(
  metric: CountedOutcome,
  dimensions: readonly string[],
  now: number = Date.now(),
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[...dimensions]],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    [metric]: 1,
  };
}
