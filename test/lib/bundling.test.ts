import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LAMBDA_BUNDLE,
  LAMBDA_LAZY_PACKAGES,
  esbuildOptionsFor,
  lazyPackageOptionsFor,
} from '../../lib/bundling.js';
import { REPO_ROOT } from '../../contract/entry-file.js';

const PKG = '@aws-sdk/client-s3';
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs NodejsFunction's afterBundling commands, as it does (bash, from the project root). */
function afterBundling(bundleSource: string): string {
  const outputDir = mkdtempSync(join(tmpdir(), 'bundling-hook-'));
  dirs.push(outputDir);
  writeFileSync(join(outputDir, 'index.mjs'), bundleSource);
  for (const command of LAMBDA_BUNDLE.commandHooks.afterBundling(REPO_ROOT, outputDir)) {
    execFileSync('bash', ['-c', command], { cwd: REPO_ROOT, stdio: 'pipe' });
  }
  return outputDir;
}

describe("NodejsFunction's afterBundling hook", () => {
  it('builds the S3 client beside a bundle that imports it, as an ESM package Node resolves', () => {
    const outputDir = afterBundling(`export const s3 = () => import("${PKG}");`);
    const lazyDir = join(outputDir, 'node_modules', PKG);

    expect(JSON.parse(readFileSync(join(lazyDir, 'package.json'), 'utf8'))).toEqual({
      name: PKG,
      type: 'module',
      main: 'index.mjs',
    });
    expect(readFileSync(join(lazyDir, 'index.mjs'), 'utf8')).toMatch(/^import \{ createRequire \}/);
  });

  it('builds the same file as the direct build the budget test and bench/ use', async () => {
    const outputDir = afterBundling(`export const s3 = () => import("${PKG}");`);
    const direct = mkdtempSync(join(tmpdir(), 'bundling-direct-'));
    dirs.push(direct);

    await build(lazyPackageOptionsFor(PKG, direct));

    expect(readFileSync(join(outputDir, 'node_modules', PKG, 'index.mjs'))).toEqual(
      readFileSync(join(direct, 'node_modules', PKG, 'index.mjs')),
    );
  });

  it('adds nothing to a bundle that never imports a lazy package', () => {
    const outputDir = afterBundling('export const handler = async () => ({ statusCode: 200 });');

    expect(existsSync(join(outputDir, 'node_modules'))).toBe(false);
  });
});

it('leaves the same packages external for NodejsFunction as for direct builds', () => {
  const direct = esbuildOptionsFor('lambda/verifier/index.ts', 'out/index.mjs');

  expect(LAMBDA_BUNDLE.externalModules).toEqual(direct.external);
  expect(direct.external).toEqual([...LAMBDA_LAZY_PACKAGES]);
});
