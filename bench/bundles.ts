import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DEFAULT_HANDLER_ENTRY } from '../contract/consumer-groups.js';
import { DEFAULT_SYNC_HOOKS_ENTRY } from '../contract/entry-file.js';
import { DEFAULT_GROUP_NAME } from '../contract/names.js';
import { DEFAULT_DEDUPE_TTL_SECONDS, DEFAULT_SYNC_HOOK_BUDGET_MS } from '../contract/defaults.js';
import { nodeEnv } from '../contract/env/common.js';
import { consumerEnv } from '../contract/env/consumer.js';
import { syncHooksEnv } from '../contract/env/sync-hooks.js';
import { verifierEnv } from '../contract/env/verifier.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from '../contract/limits.js';
import { esbuildOptionsFor } from '../lib/bundling.js';
import { REPO_ROOT } from '../contract/entry-file.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/stream-events-all';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-events-AbCdEf';
const TABLE = 'stream-events-claims';

/** What every Lambda has in its environment; the values are dummies (nothing is called). */
export const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // The stack sets this on every function (lib/node-function.ts), so imports are timed with it.
  ...nodeEnv(),
};

export interface BundleSpec {
  readonly name: string;
  readonly entry: string;
  /** Its environment, written by its contract's writer as the stack writes it (defaults). */
  readonly env: Readonly<Record<string, string>>;
  readonly baseline: boolean;
}

/** Our three Lambda entries, as the stack names them, and the Stream-docs-style baseline. */
export const BUNDLES: readonly BundleSpec[] = [
  {
    name: 'verifier',
    entry: 'lambda/verifier/index.ts',
    env: verifierEnv({
      routes: [{ group: DEFAULT_GROUP_NAME, patterns: ['*'], queueUrl: QUEUE_URL, fifo: false }],
      secretId: SECRET_ARN,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEventBucket: null,
      allowedSourceCidrs: null,
      maxEventAgeSeconds: null,
    }),
    baseline: false,
  },
  {
    // The shipped hooks file is the hook function's entry, as a group's handler file is its
    // consumer's: it reads its environment at the first invocation, not at import.
    name: 'hooks',
    entry: DEFAULT_SYNC_HOOKS_ENTRY,
    env: syncHooksEnv({
      secretId: SECRET_ARN,
      budgetMs: DEFAULT_SYNC_HOOK_BUDGET_MS,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      idempotencyTable: TABLE,
      dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
      allowedSourceCidrs: null,
    }),
    baseline: false,
  },
  {
    // The default group's entry. The consumer reads its environment at the first invocation,
    // not at import.
    name: 'consumer (default group)',
    entry: DEFAULT_HANDLER_ENTRY,
    env: consumerEnv({
      group: DEFAULT_GROUP_NAME,
      patterns: ['*'],
      ordering: 'none',
      idempotencyTable: TABLE,
      dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      largeEventBucket: null,
    }),
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
