/**
 * `npm run soak`: N signed events through the local pipeline (the dev pipeline, in process), a
 * share of them delivered twice with the same webhook id and a share gzipped; prints sent /
 * handled / duplicates skipped / lost / handled twice and exits 1 unless lost and handled twice
 * are both 0.
 *
 *   npm run soak -- --count 10000 --duplicate-share 0.1 --gzip-share 0.2 --concurrency 20 --json
 */
import { parseArgs } from 'node:util';
import { runSoak, type SoakReport } from './soak/run-soak.js';

const HELP = `Usage: npm run soak -- [options]

  --count <n>             distinct events (default 10000)
  --duplicate-share <x>   share delivered a second time with the same X-Webhook-Id (default 0.1)
  --gzip-share <x>        share sent with Content-Encoding: gzip (default 0.2)
  --concurrency <n>       deliveries in flight (default 20)
  --seed <n>              which events are duplicated / gzipped (default 1)
  --timeout <seconds>     wait at most this long for the pipeline to settle (default 300)
  --no-dedupe             switch the consumer's claims off, to see what they prevent
  --verbose               print the pipeline's log lines too
  --json                  one JSON object instead of the table

Exit 0 when nothing was lost and nothing handled twice, 1 otherwise, 2 on a usage error.`;

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new RangeError(`--${name} must be a number, got "${text}"`);
  }
  return value;
}

function table(report: SoakReport): string {
  const rows: [string, string | number][] = [
    ['sent (distinct events)', report.sent],
    [
      'deliveries',
      `${report.deliveries} (${report.duplicateDeliveries} re-sent, ${report.gzipped} gzip, ` +
        `${report.retried} retried, ${report.rejected} never 2xx)`,
    ],
    ['handled', report.handled],
    ['duplicates skipped', report.duplicatesSkipped],
    ['lost', report.lost],
    ['handled twice', report.handledTwice],
    ['record failures', report.recordFailures],
    ['dead-lettered', report.deadLettered],
    ['settled', report.settled ? 'yes' : 'no (timed out)'],
    [
      'wall time',
      `${(report.wallMs / 1000).toFixed(1)} s (sending ${(report.sendMs / 1000).toFixed(1)} s)`,
    ],
  ];
  if (!report.dedupe) rows.push(['dedupe', 'OFF (--no-dedupe)']);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      count: { type: 'string' },
      'duplicate-share': { type: 'string' },
      'gzip-share': { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
      dedupe: { type: 'boolean', default: true },
      verbose: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowNegative: true,
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

let report: SoakReport;
try {
  report = await runSoak({
    count: number('count', values.count, 10_000),
    duplicateShare: number('duplicate-share', values['duplicate-share'], 0.1),
    gzipShare: number('gzip-share', values['gzip-share'], 0.2),
    concurrency: number('concurrency', values.concurrency, 20),
    seed: number('seed', values.seed, 1),
    settleTimeoutMs: number('timeout', values.timeout, 300) * 1000,
    dedupe: values.dedupe,
    verbose: values.verbose,
  });
} catch (error) {
  process.stderr.write(`soak: ${(error as Error).message}\n`);
  process.exit(error instanceof RangeError ? 2 : 1);
}
process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${table(report)}\n`);
process.exitCode = report.lost === 0 && report.handledTwice === 0 ? 0 : 1;
