import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { LAMBDA_ENV, type BuiltBundle } from './bundles.js';
import { summarize, type Summary } from './stats.js';

/**
 * Run by a fresh `node`: imports the bundle named in argv (none: an empty start), checks it
 * exports a handler, and prints how long the import took.
 */
const IMPORT_SCRIPT = `
const url = process.argv[1];
const started = performance.now();
if (url) {
  const mod = await import(url);
  if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
}
const done = performance.now();
process.stdout.write(JSON.stringify({ importMs: done - started }), () => process.exit(0));
`;

interface OneStart {
  /** Spawn to exit, as the parent sees it: what "a fresh node process takes" means. */
  readonly wallMs: number;
  /** The import alone, inside the process. */
  readonly importMs: number;
}

function startOnce(
  bundleUrl: string | null,
  env: Readonly<Record<string, string>>,
): Promise<OneStart> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', IMPORT_SCRIPT, ...(bundleUrl === null ? [] : [bundleUrl])],
      // Only what a Lambda would have: the bench's own environment must not leak in.
      { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(
          new Error(
            `importing ${bundleUrl ?? '(nothing)'} failed (exit ${code}): ${stderr.trim()}`,
          ),
        );
        return;
      }
      const { importMs } = JSON.parse(stdout) as { importMs: number };
      resolve({ wallMs, importMs });
    });
  });
}

export interface ColdLoadRow {
  readonly name: string;
  /** Null for the empty `node` start. */
  readonly bytes: number | null;
  readonly gzipBytes: number | null;
  readonly baseline: boolean;
  readonly wallMs: Summary;
  readonly importMs: Summary;
}

/**
 * `runs` fresh processes per bundle and for an empty start, taken in turns (bundle 1, 2, ...,
 * empty, then again) so that a burst of load on the machine hits every row alike.
 */
export async function measureColdLoad(
  bundles: readonly BuiltBundle[],
  runs: number,
): Promise<ColdLoadRow[]> {
  const targets = [
    ...bundles.map((bundle) => ({
      name: bundle.name,
      url: pathToFileURL(bundle.file).href,
      env: bundle.env,
      bytes: bundle.bytes,
      gzipBytes: bundle.gzipBytes,
      baseline: bundle.baseline,
    })),
    {
      name: 'baseline (b): empty node',
      url: null,
      env: LAMBDA_ENV,
      bytes: null,
      gzipBytes: null,
      baseline: true,
    },
  ];
  // One untimed start each: the first read of a file from disk is not what Lambda's cache sees.
  for (const target of targets) await startOnce(target.url, target.env);
  const samples = targets.map(() => ({ wall: [] as number[], imports: [] as number[] }));
  for (let run = 0; run < runs; run += 1) {
    for (const [index, target] of targets.entries()) {
      const one = await startOnce(target.url, target.env);
      samples[index]?.wall.push(one.wallMs);
      samples[index]?.imports.push(one.importMs);
    }
  }
  return targets.map((target, index) => ({
    name: target.name,
    bytes: target.bytes,
    gzipBytes: target.gzipBytes,
    baseline: target.baseline,
    wallMs: summarize(samples[index]?.wall ?? []),
    importMs: summarize(samples[index]?.imports ?? []),
  }));
}
