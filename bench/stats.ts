/** A sample's order statistics, in the unit the samples were taken in. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

function checkPercentile(p: number): void {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be from 0 to 100, got ${p}`);
}

function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

function sortedCopy(samples: readonly number[], what: string): number[] {
  if (samples.length === 0) throw new RangeError(`${what} of no samples`);
  return [...samples].sort((a, b) => a - b);
}

/**
 * The nearest-rank percentile (`p` from 0 to 100): always one of the samples, never an
 * interpolation, so the p99 of 100 samples is the largest but one, as a reader expects.
 */
export function percentile(samples: readonly number[], p: number): number {
  checkPercentile(p);
  return nearestRank(sortedCopy(samples, 'percentile'), p);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = sortedCopy(samples, 'summary');
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}
