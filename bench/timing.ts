import { summarize, type Summary } from './stats.js';

export interface TimingBudget {
  /** Untimed calls first, so the JIT and every cache are warm. */
  readonly warmupMs: number;
  /** Timed calls go on until this much time is spent... */
  readonly measureMs: number;
  /** ...and at least this many were timed. */
  readonly minSamples: number;
  readonly maxSamples: number;
}

export interface Timed {
  /** Microseconds per call. */
  readonly micros: Summary;
  /** Calls per second, one after another on one core: 1 / mean. */
  readonly perSecond: number;
}

/**
 * Times `call` one call at a time with `process.hrtime.bigint()`. A synchronous call is not
 * awaited, so a baseline that does no I/O is not charged for a promise it never made.
 */
export async function timeCalls(call: () => unknown, budget: TimingBudget): Promise<Timed> {
  const run = async (): Promise<bigint> => {
    const started = process.hrtime.bigint();
    const result = call();
    if (result instanceof Promise) await result;
    return process.hrtime.bigint() - started;
  };
  const warmEnd = performance.now() + budget.warmupMs;
  for (let i = 0; i < 10 || performance.now() < warmEnd; i += 1) await run();

  const samples: number[] = [];
  const measureEnd = performance.now() + budget.measureMs;
  while (
    samples.length < budget.maxSamples &&
    (samples.length < budget.minSamples || performance.now() < measureEnd)
  ) {
    samples.push(Number(await run()) / 1_000);
  }
  const micros = summarize(samples);
  return { micros, perSecond: 1_000_000 / micros.mean };
}
