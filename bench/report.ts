import { DEFAULT_FUNCTION_MEMORY_MB } from '../contract/defaults.js';
import type { ColdLoadRow } from './cold-load.js';
import type { EndToEndRow } from './end-to-end.js';
import { sizeLabel } from './events.js';
import { LOAD_EVENT_BYTES } from './load.js';
import { kib, mib, num, pair, ratio, table, verdict } from './markdown.js';
import type { MemoryResult } from './memory.js';
import type { PerEventResult, PerEventRow } from './per-event.js';

/** The targets. */
export const TARGETS = {
  /** The verifier's cold load at most this times baseline (a)'s. */
  coldLoadRatio: 0.5,
  /** The verifier's p99 per 4 KB event, in µs. */
  p99MicrosAt4Kb: 50,
  /** The pipeline's events/s at least this share of raw SendMessage/s. */
  endToEndShare: 0.8,
} as const;

/** The verifier's memory unless the stack is told otherwise (lib/node-function.ts's default). */
export const VERIFIER_MEMORY_MB = DEFAULT_FUNCTION_MEMORY_MB;

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly date: string;
  readonly loadAverage: readonly number[];
}

export interface BenchResults {
  readonly machine: Machine;
  readonly mode: 'full' | 'quick';
  readonly coldLoad: readonly ColdLoadRow[];
  readonly perEvent: PerEventResult;
  readonly endToEnd: readonly EndToEndRow[];
  readonly memory: MemoryResult;
}

function coldLoadTable(rows: readonly ColdLoadRow[]): string {
  const baseline = rows.find((row) => row.name.startsWith('baseline (a)'));
  const base = baseline?.wallMs.p50 ?? Number.NaN;
  return table(
    [
      'bundle',
      'size (gzip)',
      'fresh node + import, p50 / p90 ms',
      'import alone, p50 ms',
      'vs baseline (a), p50',
      `target ≤ ${TARGETS.coldLoadRatio}× (a)`,
    ],
    rows.map((row) => [
      row.name,
      row.bytes === null ? '—' : `${kib(row.bytes)} (${kib(row.gzipBytes ?? 0)})`,
      pair(row.wallMs.p50, row.wallMs.p90),
      num(row.importMs.p50),
      ratio(row.wallMs.p50, base),
      row.name === 'verifier' ? verdict(row.wallMs.p50 <= TARGETS.coldLoadRatio * base) : '—',
    ]),
  );
}

const inputOf = (row: PerEventRow): string => `${sizeLabel(row.bytes)}${row.gzip ? ' gzip' : ''}`;

function verifierTable(rows: readonly PerEventRow[]): string {
  return table(
    [
      'event',
      'ours p50 / p99 µs',
      'ours events/s',
      'ours without the SDK p50 / p99 µs',
      'verifyAndParseWebhook p50 / p99 µs',
      'its events/s',
      'ratio p50',
      `target p99 ≤ ${TARGETS.p99MicrosAt4Kb} µs at 4 KB`,
    ],
    rows.map((row) => {
      const without = row.oursWithoutSdk?.micros;
      const at4Kb = row.bytes === 4 * 1024;
      return [
        inputOf(row),
        pair(row.ours.micros.p50, row.ours.micros.p99),
        num(row.ours.perSecond),
        without === undefined ? '—' : pair(without.p50, without.p99),
        pair(row.baseline.micros.p50, row.baseline.micros.p99),
        num(row.baseline.perSecond),
        ratio(row.ours.micros.p50, row.baseline.micros.p50),
        at4Kb
          ? `${verdict(row.ours.micros.p99 <= TARGETS.p99MicrosAt4Kb)} (without the SDK: ${verdict(
              (without?.p99 ?? Number.POSITIVE_INFINITY) <= TARGETS.p99MicrosAt4Kb,
            )})`
          : '—',
      ];
    }),
  );
}

function consumerTable(rows: readonly PerEventRow[]): string {
  return table(
    [
      'record (SQS body)',
      'decode + route p50 / p99 µs',
      'records/s',
      'parseSqs p50 / p99 µs',
      'its records/s',
      'ratio p50',
    ],
    rows.map((row) => [
      inputOf(row),
      pair(row.ours.micros.p50, row.ours.micros.p99),
      num(row.ours.perSecond),
      pair(row.baseline.micros.p50, row.baseline.micros.p99),
      num(row.baseline.perSecond),
      ratio(row.ours.micros.p50, row.baseline.micros.p50),
    ]),
  );
}

function failures(count: number): string {
  return count === 0 ? '' : ` (${count} failed)`;
}

function endToEndTable(rows: readonly EndToEndRow[]): string {
  return table(
    [
      'concurrency × count',
      'pipeline events/s',
      'its p50 / p99 ms',
      'raw SendMessage/s',
      'its p50 / p99 ms',
      'ratio',
      `target ≥ ${TARGETS.endToEndShare}`,
    ],
    rows.map(({ pipeline, rawSqs }) => [
      `${pipeline.connections} × ${pipeline.count.toLocaleString('en-US')}`,
      `${num(pipeline.perSecond)}${failures(pipeline.failed)}`,
      pair(pipeline.p50Ms, pipeline.p99Ms),
      `${num(rawSqs.perSecond)}${failures(rawSqs.failed)}`,
      pair(rawSqs.p50Ms, rawSqs.p99Ms),
      ratio(pipeline.perSecond, rawSqs.perSecond),
      verdict(pipeline.perSecond >= TARGETS.endToEndShare * rawSqs.perSecond),
    ]),
  );
}

function memoryTable(memory: MemoryResult): string {
  return table(
    ['load', 'RSS before load', 'peak RSS', 'verifier memory size', 'peak / memory size'],
    [
      [
        `${memory.load.connections} × ${memory.load.count.toLocaleString('en-US')}${failures(memory.load.failed)}`,
        mib(memory.rssBeforeBytes),
        mib(memory.peakRssBytes),
        `${VERIFIER_MEMORY_MB} MB`,
        `${num((memory.peakRssBytes / 1024 / 1024 / VERIFIER_MEMORY_MB) * 100)} %`,
      ],
    ],
  );
}

/** The whole result as one markdown document, ready for the README's Performance section. */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const cold = results.coldLoad[0]?.wallMs.count ?? 0;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date} ` +
      `(load average ${machine.loadAverage.map((load) => num(load)).join(' ')} at start; ` +
      `\`npm run bench${results.mode === 'quick' ? ' -- --quick' : ''}\`).`,
    '',
    `**Cold load**: each bundle built as the stack builds it, imported by a fresh \`node\` ` +
      `(with the stack's \`--enable-source-maps\`), ${cold} runs each.`,
    '',
    coldLoadTable(results.coldLoad),
    '',
    '**Per event, verifier**: the handler in process, SQS answered at the network layer (the ' +
      'SDK runs in full: serialization, signing, MD5 check), one call at a time on one core ' +
      '(events/s = 1 / mean). "Without the SDK": the same handler with a client whose `send` ' +
      'resolves at once. `verifyAndParseWebhook` does no base64, no queue encoding and no send.',
    '',
    verifierTable(results.perEvent.verifier),
    '',
    '**Per record, consumer**: decode (base64, gzip, JSON) and route, beside `stream-chat`’s ' +
      '`parseSqs` on the same body.',
    '',
    consumerTable(results.perEvent.consumer),
    '',
    `**End to end**: autocannon against \`npm run dev\` (${sizeLabel(LOAD_EVENT_BYTES)} ` +
      'signed events, a new one per request, consumers polling), beside SDK SendMessage to the ' +
      'same embedded SQS server at the same concurrency, each from an empty queue. The dev ' +
      'pipeline runs its HTTP server, verifier, SQS and DynamoDB clients and consumers on one ' +
      'thread of one Node process, and the SQS and DynamoDB servers on a thread each; the raw ' +
      'sends come from the bench process.',
    '',
    endToEndTable(results.endToEnd),
    '',
    '**Memory**: the verifier alone (bundled, behind the dev webhook server) in its own ' +
      'process under the same load; peak RSS from getrusage.',
    '',
    memoryTable(results.memory),
    '',
  ].join('\n');
}
