/**
 * `npm run bench`: cold load, per-event overhead, end-to-end throughput and the verifier's memory,
 * each beside the baseline measured in the same run, printed as one markdown document (README's
 * Performance section). `--quick` for a short run, `--json <file>` to keep the raw results.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildBundles } from './bundles.js';
import { measureColdLoad } from './cold-load.js';
import { measureEndToEnd } from './end-to-end.js';
import { measureMemory } from './memory.js';
import { measurePerEvent } from './per-event.js';
import { renderMarkdown, type BenchResults, type Machine } from './report.js';
import type { TimingBudget } from './timing.js';

interface Plan {
  readonly coldRuns: number;
  readonly perEvent: TimingBudget;
  readonly concurrencies: readonly number[];
  readonly count: number;
}

const PLANS: Record<BenchResults['mode'], Plan> = {
  full: {
    coldRuns: 20,
    perEvent: { warmupMs: 200, measureMs: 1_000, minSamples: 50, maxSamples: 20_000 },
    concurrencies: [10, 50],
    count: 5_000,
  },
  quick: {
    coldRuns: 10,
    perEvent: { warmupMs: 50, measureMs: 250, minSamples: 20, maxSamples: 5_000 },
    concurrencies: [10, 50],
    count: 1_000,
  },
};

function machine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    loadAverage: loadavg(),
  };
}

/** Progress goes to stderr, so stdout is the markdown alone. */
function step(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } },
  });
  const mode = values.quick ? 'quick' : 'full';
  const plan = PLANS[mode];
  const started = performance.now();
  const host = machine();

  step('building the bundles');
  const built = await buildBundles();
  let coldLoad;
  try {
    step(`cold load, ${plan.coldRuns} runs per bundle`);
    coldLoad = await measureColdLoad(built.bundles, plan.coldRuns);
  } finally {
    await built.remove();
  }
  step('per-event overhead');
  const perEvent = await measurePerEvent(plan.perEvent);
  step(`end to end, concurrency ${plan.concurrencies.join(' and ')}, ${plan.count} events each`);
  const endToEnd = await measureEndToEnd(plan.concurrencies, plan.count);
  const top = Math.max(...plan.concurrencies);
  step(`verifier memory, concurrency ${top}`);
  const memory = await measureMemory(top, plan.count);

  const results: BenchResults = { machine: host, mode, coldLoad, perEvent, endToEnd, memory };
  process.stdout.write(renderMarkdown(results));
  if (values.json !== undefined) {
    await writeFile(values.json, `${JSON.stringify(results, null, 2)}\n`);
    step(`raw results written to ${values.json}`);
  }
  step(`done in ${Math.round((performance.now() - started) / 1000)} s`);
}

await main();
