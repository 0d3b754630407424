import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../lib/bundling.js';
import { REPO_ROOT } from './repo-root.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/stream-events-all';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-events-AbCdEf';

/** What every Lambda has in its environment; the values are dummies (nothing is called). */
export const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // The stack sets this on every function (lib/node-function.ts), so imports are timed with it.
  NODE_OPTIONS: '--enable-source-maps',
};

export interface BundleSpec {
  readonly name: string;
  readonly entry: string;
  /** What its configuration loader checks at import, as the stack would set it. */
  readonly env: Readonly<Record<string, string>>;
  readonly baseline: boolean;
}

/** Our three Lambda entries, as the stack names them, and the Stream-docs-style baseline. */
export const BUNDLES: readonly BundleSpec[] = [
  {
    name: 'verifier',
    entry: 'lambda/verifier/index.ts',
    env: {
      ROUTES: JSON.stringify([{ group: 'all', patterns: ['*'], queueUrl: QUEUE_URL, fifo: false }]),
      STREAM_SECRET_ID: SECRET_ARN,
      POWERTOOLS_SERVICE_NAME: 'stream-events-verifier',
    },
    baseline: false,
  },
  {
    name: 'hooks',
    entry: 'lambda/hooks/index.ts',
    env: { STREAM_SECRET_ID: SECRET_ARN, POWERTOOLS_SERVICE_NAME: 'stream-events-hooks' },
    baseline: false,
  },
  {
    // lib/event-consumer.ts's DEFAULT_HANDLER_ENTRY (not imported: it would load aws-cdk-lib).
    // The consumer reads its environment at the first invocation, not at import.
    name: 'consumer (default group)',
    entry: 'lambda/handlers/index.ts',
    env: { POWERTOOLS_SERVICE_NAME: 'stream-events-consumer' },
    baseline: false,
  },
  {
    name: 'baseline (a): Stream-docs verifier',
    entry: 'bench/baseline-verifier.ts',
    env: { STREAM_API_KEY: 'bench-api-key', STREAM_API_SECRET: 'bench', QUEUE_URL },
    baseline: true,
  },
];

export interface BuiltBundle extends BundleSpec {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BuiltBundles {
  readonly bundles: readonly BuiltBundle[];
  remove(): Promise<void>;
}

/** Builds each entry exactly as the stack does (lib/bundling.ts), into a temporary directory. */
export async function buildBundles(specs: readonly BundleSpec[] = BUNDLES): Promise<BuiltBundles> {
  const dir = await mkdtemp(join(tmpdir(), 'stream-events-bench-'));
  const bundles: BuiltBundle[] = [];
  for (const [index, spec] of specs.entries()) {
    const file = join(dir, `bundle-${index}`, 'index.mjs');
    await build(esbuildOptionsFor(join(REPO_ROOT, spec.entry), file));
    const bytes = (await stat(file)).size;
    const gzipBytes = gzipSync(await readFile(file)).length;
    bundles.push({ ...spec, env: { ...LAMBDA_ENV, ...spec.env }, file, bytes, gzipBytes });
  }
  return { bundles, remove: () => rm(dir, { recursive: true, force: true }) };
}
