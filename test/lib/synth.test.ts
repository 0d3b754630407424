import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface TemplateResource {
  readonly Type: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** This machine's environment without AWS credentials or config: synth must not need an account. */
function environmentWithoutAws(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
  );
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true', // never wait on an instance metadata lookup
    CDK_DISABLE_VERSION_CHECK: '1',
    CI: 'true',
  };
}

describe('npx cdk synth', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'stream-events-synth-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('bundles every function (verifier, consumer, hooks) into index.mjs without AWS credentials', () => {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outDir], {
      cwd: REPO_ROOT,
      env: environmentWithoutAws(),
      encoding: 'utf8',
      timeout: 55_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

    const template = JSON.parse(
      readFileSync(join(outDir, 'StreamEvents.template.json'), 'utf8'),
    ) as { Resources: Record<string, TemplateResource> };
    const functions = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::Lambda::Function',
    );
    // The verifier, the default group's consumer and the hook function (on with the webhook path).
    expect(functions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      ['ConsumerFunction', 'SyncHooksHandler', 'WebhookVerifier'].sort(),
    );
    const assetPaths = functions.map(([, resource]) => resource.Metadata?.['aws:asset:path']);
    expect(assetPaths).toHaveLength(3);
    for (const assetPath of assetPaths) {
      expect(assetPath).toEqual(expect.stringMatching(/^asset\./));
      const bundle = join(outDir, String(assetPath), 'index.mjs');
      expect(existsSync(bundle)).toBe(true);
      // ESM with `require` defined, for the CommonJS code bundled inside.
      expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire \} from 'module';/);
    }
    // The S3 client, imported lazily, ships beside the bundles that use it (lib/bundling.ts).
    const lazyS3 = assetPaths.filter((assetPath) =>
      readFileSync(join(outDir, String(assetPath), 'index.mjs'), 'utf8').includes(
        '"@aws-sdk/client-s3"',
      ),
    );
    expect(lazyS3.length).toBeGreaterThan(0);
    for (const assetPath of lazyS3) {
      const lazyDir = join(outDir, String(assetPath), 'node_modules', '@aws-sdk', 'client-s3');
      expect(existsSync(join(lazyDir, 'index.mjs'))).toBe(true);
      expect(JSON.parse(readFileSync(join(lazyDir, 'package.json'), 'utf8'))).toMatchObject({
        type: 'module',
        main: 'index.mjs',
      });
    }
  });
});
