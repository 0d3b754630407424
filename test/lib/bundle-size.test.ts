import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LAMBDA_ALIASES,
  LAMBDA_LAZY_PACKAGES,
  esbuildOptionsFor,
  lazyPackageManifest,
  lazyPackageOptionsFor,
} from '../../lib/bundling.js';
import { REPO_ROOT } from '../../contract/entry-file.js';

/**
 * Each Lambda bundle, built with the options the stack gives NodejsFunction, stays within its
 * size budget and holds none of what a Lambda never needs. Sizes only: timings are measured in
 * bench/, never asserted.
 */
interface Measured {
  readonly name: string;
  readonly measuredBytes: number;
}
interface Budgets {
  readonly marginPercent: number;
  readonly bundles: readonly (Measured & { readonly entry: string })[];
  readonly lazyPackages: readonly Measured[];
}

const BUDGETS = JSON.parse(
  readFileSync(new URL('./bundle-budgets.json', import.meta.url), 'utf8'),
) as Budgets;

const budgetOf = ({ measuredBytes }: Measured) =>
  Math.floor(measuredBytes * (1 + BUDGETS.marginPercent / 100));

/** Never in a Lambda bundle: SDKs of Stream, the CDK, or the SDK's full credential chain. */
const FORBIDDEN = [
  'node_modules/stream-chat/',
  'node_modules/@stream-io/node-sdk/',
  'node_modules/aws-cdk-lib/',
  'node_modules/constructs/',
  'node_modules/@aws-sdk/credential-provider-node/',
  'node_modules/@aws-sdk/nested-clients/',
];

interface Built {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

let dir: string;
const bundles = new Map<string, Built>();
const lazy = new Map<string, Built>();

/** The imports of lazy packages the bundle leaves for Node to resolve, with how they are made. */
function lazyImports(metafile: Metafile): { path: string; kind: string }[] {
  return Object.values(metafile.inputs).flatMap((input) =>
    input.imports
      .filter((imported) => imported.external && LAMBDA_LAZY_PACKAGES.includes(imported.path))
      .map(({ path, kind }) => ({ path, kind })),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-size-'));
  for (const { name, entry } of BUDGETS.bundles) {
    const file = join(dir, name, 'index.mjs');
    const { metafile } = await build({
      ...esbuildOptionsFor(join(REPO_ROOT, entry), file),
      metafile: true,
    });
    bundles.set(name, { file, bytes: statSync(file).size, metafile });
    // As NodejsFunction's afterBundling hook does: each lazy package the bundle imports, beside it.
    for (const pkg of new Set(lazyImports(metafile).map(({ path }) => path))) {
      const options = lazyPackageOptionsFor(pkg, dirname(file));
      const built = await build({ ...options, metafile: true });
      const lazyFile = options.outfile ?? '';
      writeFileSync(join(dirname(lazyFile), 'package.json'), lazyPackageManifest(pkg));
      lazy.set(pkg, { file: lazyFile, bytes: statSync(lazyFile).size, metafile: built.metafile });
    }
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function get(map: Map<string, Built>, name: string): Built {
  const built = map.get(name);
  if (!built) throw new Error(`${name} was not built`);
  return built;
}

describe.each(BUDGETS.bundles)('the $name bundle ($entry)', (spec) => {
  const budget = budgetOf(spec);

  it(`is at most ${budget} bytes (${BUDGETS.marginPercent} % over the ${spec.measuredBytes} measured)`, () => {
    expect(get(bundles, spec.name).bytes).toBeLessThanOrEqual(budget);
  });

  it('holds no Stream SDK, no CDK and not the SDK default credential chain', () => {
    const inputs = Object.keys(get(bundles, spec.name).metafile.inputs);

    for (const forbidden of FORBIDDEN) {
      expect(inputs.filter((path) => path.includes(forbidden))).toEqual([]);
    }
  });

  it("uses the Lambda environment's credentials in place of the default chain", () => {
    const inputs = Object.keys(get(bundles, spec.name).metafile.inputs);

    for (const replacement of Object.values(LAMBDA_ALIASES)) {
      expect(inputs).toContain(replacement.replace(/^\.\//, ''));
    }
  });

  it('leaves the lazy packages out, imported only dynamically', () => {
    const { metafile } = get(bundles, spec.name);
    const inputs = Object.keys(metafile.inputs);

    for (const pkg of LAMBDA_LAZY_PACKAGES) {
      expect(inputs.filter((path) => path.includes(`node_modules/${pkg}/`))).toEqual([]);
    }
    expect(lazyImports(metafile).filter(({ kind }) => kind !== 'dynamic-import')).toEqual([]);
  });
});

describe.each(BUDGETS.lazyPackages)('the lazily loaded $name', (spec) => {
  const budget = budgetOf(spec);

  it(`is at most ${budget} bytes (${BUDGETS.marginPercent} % over the ${spec.measuredBytes} measured)`, () => {
    expect(get(lazy, spec.name).bytes).toBeLessThanOrEqual(budget);
  });

  it('holds no Stream SDK, no CDK and not the SDK default credential chain', () => {
    const inputs = Object.keys(get(lazy, spec.name).metafile.inputs);

    for (const forbidden of FORBIDDEN) {
      expect(inputs.filter((path) => path.includes(forbidden))).toEqual([]);
    }
  });
});

const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

it('each bundle loads in a fresh Node process that has only what Lambda sets', () => {
  const env = {
    ...LAMBDA_ENV,
    ROUTES: JSON.stringify([
      {
        group: 'all',
        patterns: ['*'],
        queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/all',
        fifo: false,
      },
    ]),
    STREAM_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-AbCdEf',
    IDEMPOTENCY_TABLE: 'stream-events-idempotency',
  };
  const probe = 'const m = await import(process.argv[1]); process.stdout.write(typeof m.handler);';

  for (const { name } of BUDGETS.bundles) {
    const { file } = get(bundles, name);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe, file], { env });
    expect(out.toString(), name).toBe('function');
  }
});

it("the lazy S3 client resolves beside a bundle and signs with the environment's credentials", () => {
  const [bundle] = BUDGETS.bundles.filter(({ name }) => lazyFor(name));
  if (!bundle) throw new Error('no bundle imports the S3 client');
  // The import resolves from the bundle's directory, as `import()` in index.mjs does in Lambda;
  // the signed request goes to a loopback server; a middleware after signing reads its header.
  const probe = `
    import { createServer } from 'node:http';
    const server = createServer((req, res) => res.end());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const endpoint = 'http://127.0.0.1:' + server.address().port;
    let authorization = '';
    const client = new S3Client({ endpoint, forcePathStyle: true, maxAttempts: 1 });
    client.middlewareStack.add((next) => async (args) => {
      authorization = args.request.headers.authorization ?? '';
      return next(args);
    }, { step: 'finalizeRequest', priority: 'low' });
    await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'key', Body: 'body' })).catch(() => {});
    server.close();
    process.stdout.write(authorization);`;

  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: LAMBDA_ENV,
    cwd: dirname(get(bundles, bundle.name).file),
  });

  expect(out.toString()).toMatch(
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\//,
  );
});

function lazyFor(name: string): boolean {
  return lazyImports(get(bundles, name).metafile).length > 0;
}
