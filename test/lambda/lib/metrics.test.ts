import { describe, expect, it } from 'vitest';
import { countOne, METRIC_NAMESPACE } from '../../../lambda/lib/metrics.js';

describe('countOne', () => {
  it('is the Embedded Metric Format fields for a count of 1 by the named dimensions', () => {
    expect(countOne('EventsDuplicate', ['service', 'group'], 1_735_732_800_000)).toEqual({
      _aws: {
        Timestamp: 1_735_732_800_000,
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [['service', 'group']],
            Metrics: [{ Name: 'EventsDuplicate', Unit: 'Count' }],
          },
        ],
      },
      EventsDuplicate: 1,
    });
    expect(METRIC_NAMESPACE).toBe('StreamEvents');
  });
});
