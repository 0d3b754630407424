import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Every module URL a fresh `node --import tsx` process loaded running `script` (an ES module's
 * text, run from the repository root), as print-loaded-modules.mjs reports them at exit.
 */
export async function modulesLoadedBy(script: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/support/print-loaded-modules.mjs',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('loaded: '))
    .map((line) => line.slice('loaded: '.length));
}

/** The URLs among `urls` inside aws-cdk-lib or constructs (CDK's construct tree). */
export function cdkModules(urls: readonly string[]): string[] {
  return urls.filter((url) => /\/node_modules\/(aws-cdk-lib|constructs)\//.test(url));
}
