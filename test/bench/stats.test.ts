import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../../bench/stats.js';

describe('percentile', () => {
  it('takes the nearest rank, so p99 of 100 samples is the second largest', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('never interpolates: the median of an even count is a sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('refuses no samples and percentiles outside 0-100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(/0 to 100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/0 to 100/);
  });
});

describe('summarize', () => {
  it('reports count, mean, p50, p90, p99 and max without reordering the input', () => {
    const samples = [5, 1, 4, 2, 3, 10, 6, 9, 7, 8];

    expect(summarize(samples)).toEqual({ count: 10, mean: 5.5, p50: 5, p90: 9, p99: 10, max: 10 });
    expect(samples[0]).toBe(5);
  });
});
