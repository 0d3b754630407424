/**
 * Each limit and name the parts share is written once, in contract/, and imported everywhere
 * else: a copy is a second place to forget when the fact changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIRS = ['bin', 'lib', 'lambda', 'dev', 'cli', 'bench', 'scripts', 'contract'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name))
    .map((entry) => relative(REPO, join(entry.parentPath, entry.name)));
}

const FILES = SOURCE_DIRS.flatMap(sourceFiles);

/** The files whose text matches `pattern`, comments included (a default in a doc comment is a copy too). */
function filesWriting(pattern: RegExp): string[] {
  return FILES.filter((file) => pattern.test(readFileSync(join(REPO, file), 'utf8')));
}

describe('facts written once', () => {
  it.each([
    [
      '1 MiB (the SQS message limit, and the unit)',
      /\b1_?048_?576\b|\b1024 \* 1024\b/,
      'limits.ts',
    ],
    [
      '6 MiB (Lambda’s invoke payload)',
      /\b6_?291_?456\b|\b6_?000_?000\b|\b6 \* MIB\b/,
      'limits.ts',
    ],
    [
      '16 MiB (the inflated-size cap)',
      /\b16_?777_?216\b|\b16 \* (1024 \* 1024|MIB)\b/,
      'limits.ts',
    ],
    ["the default stack name 'StreamEvents'", /['"]StreamEvents['"]/, 'names.ts'],
    ["the webhook's route", /['"`]\/webhook['"`]/, 'routes.ts'],
    [
      "the sync hooks' routes",
      /\/hooks\/(before-message-send|custom-commands|pending-messages)/,
      'routes.ts',
    ],
  ])('%s is written in one file of contract/', (_fact, pattern, home) => {
    expect(filesWriting(pattern)).toEqual([`contract/${home}`]);
  });

  it("the default group name 'all' is written in contract/names.ts only", () => {
    // cli/event-hooks.ts says "all" of a hook's event types (an empty event_types list), not a
    // group.
    const files = filesWriting(/['"]all['"]/).filter((file) => file !== 'cli/event-hooks.ts');

    expect(files).toEqual(['contract/names.ts']);
  });
});
