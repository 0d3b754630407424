/**
 * The sync hooks' user code comes from `syncHooks.entry`, as a consumer group's from its `entry`:
 * the stack bundles that file as the hook function (esbuild runs here, as `cdk synth` runs it),
 * and a file that is not there fails the synth.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { StreamEventsStack } from '../../lib/stream-events-stack.js';
import { SyncHooks } from '../../lib/sync-hooks.js';
import { CUSTOM_HOOKS_MARKER } from '../fixtures/sync-hooks-entry.js';

const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface LambdaFunction {
  readonly Properties: {
    readonly Code: { readonly S3Key: string };
    readonly Environment: { readonly Variables: Record<string, unknown> };
  };
}

/** SyncHooks in a stack of its own, bundled for real; returns the hook function's bundle. */
function bundledHooks(entry?: string): string {
  const outdir = mkdtempSync(join(tmpdir(), 'sync-hooks-entry-'));
  dirs.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundled');
  new SyncHooks(stack, 'Hooks', {
    api: new HttpApi(stack, 'Api'),
    secret: new Secret(stack, 'Secret'),
    idempotencyTable: new Table(stack, 'Claims', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
    }),
    ...(entry === undefined ? {} : { entry }),
  });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as {
    Resources: Record<string, { Type: string } & LambdaFunction>;
  };
  const [fn, ...others] = Object.values(template.Resources).filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      'HOOK_BUDGET_MS' in resource.Properties.Environment.Variables,
  );
  expect(others).toEqual([]);
  const hash = fn?.Properties.Code.S3Key.replace(/\.zip$/, '');
  return readFileSync(join(assembly.directory, `asset.${hash}`, 'index.mjs'), 'utf8');
}

function synthStack(entry: string): void {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  new StreamEventsStack(app, 'Test', { syncHooks: { entry } });
}

describe('the hook function’s entry', () => {
  it('bundles the file syncHooks.entry names', () => {
    const bundle = bundledHooks('test/fixtures/sync-hooks-entry.ts');

    expect(bundle).toContain(CUSTOM_HOOKS_MARKER);
    // The shipped examples' blocklist is not in it: only the named file's code is.
    expect(bundle).not.toContain('crypto-giveaway');
  });

  it('bundles lambda/handlers/sync-hooks.ts, the examples, by default', () => {
    const bundle = bundledHooks();

    expect(bundle).toContain('crypto-giveaway');
    expect(bundle).not.toContain(CUSTOM_HOOKS_MARKER);
  });

  it('fails the synth on an entry that is not a file, naming it and where it looked', () => {
    expect(() => synthStack('lambda/handlers/hookz.ts')).toThrow(
      /SyncHooks: entry "lambda\/handlers\/hookz.ts" is not a file \(looked for .*\/lambda\/handlers\/hookz\.ts; a relative entry starts at the repository root\)/,
    );
    expect(() => synthStack('lambda/handlers')).toThrow(/entry "lambda\/handlers" is not a file/);
  });
});

describe('context "syncHooks".entry', () => {
  it('is the entry prop', () => {
    const { props } = appConfigFromContext((key) =>
      key === 'syncHooks' ? { entry: 'lambda/handlers/my-hooks.ts' } : undefined,
    );

    expect(props.syncHooks).toMatchObject({ enabled: true, entry: 'lambda/handlers/my-hooks.ts' });
  });

  it('must be a string', () => {
    expect(() =>
      appConfigFromContext((key) => (key === 'syncHooks' ? { entry: 42 } : undefined)),
    ).toThrow('context "syncHooks".entry must be a string');
  });
});
