/**
 * Each variable of a function's environment is spelled in one source file, its contract in
 * contract/env/: the constructs that set it and the code that reads it import the name (or the
 * writer and reader) from there, so the two sides cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_OPTIONS } from '../../../contract/env/common.js';
import { CONSUMER_ENV_NAMES } from '../../../contract/env/consumer.js';
import { SYNC_HOOKS_ENV_NAMES } from '../../../contract/env/sync-hooks.js';
import { METRIC_NAMESPACE_ENV } from '../../../contract/env/metrics.js';
import { VERIFIER_ENV_NAMES } from '../../../contract/env/verifier.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SOURCE_DIRS = ['bin', 'lib', 'lambda', 'dev', 'cli', 'bench', 'scripts', 'contract'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The code of a file without its comments, which may name a variable freely. */
function code(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** A name spelled as a string, an object key or a property read (`env.NAME`). */
function spells(text: string, name: string): boolean {
  return new RegExp(`['"\`]${name}['"\`]|[{,]\\s*${name}\\s*:|\\.${name}\\b`).test(text);
}

const FILES = SOURCE_DIRS.flatMap(sourceFiles).map((file) => ({ file, text: code(file) }));
const NAMES = [
  ...new Set([
    ...VERIFIER_ENV_NAMES,
    ...CONSUMER_ENV_NAMES,
    ...SYNC_HOOKS_ENV_NAMES,
    METRIC_NAMESPACE_ENV,
    NODE_OPTIONS,
  ]),
].sort();

describe('each function environment variable', () => {
  it('finds a name the way it is written (the check can fail)', () => {
    expect(spells("environment: { ROUTES: '[]' }", 'ROUTES')).toBe(true);
    expect(spells('const x = env.ROUTES;', 'ROUTES')).toBe(true);
    expect(spells("requiredString(env, 'ROUTES')", 'ROUTES')).toBe(true);
    expect(spells('const ROUTES: ReadonlyMap<string, string> = new Map();', 'ROUTES')).toBe(false);
  });

  it.each(NAMES)('%s is spelled in one file, under contract/env/', (name) => {
    const files = FILES.filter(({ text }) => spells(text, name)).map(({ file }) => file);

    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^contract\/env\//);
  });
});
