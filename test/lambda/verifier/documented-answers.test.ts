/**
 * The README's table of the verifier's answers lists every status and reason the webhook path's
 * code can answer with: a rejection added to the code without a row fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** Every `.ts` file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `status reason` of every `new DeliveryRejected(status, 'reason', …)` outside the hooks. */
function answersInCode(): string[] {
  const found = sources(join(ROOT, 'lambda'))
    .filter((path) => !relative(ROOT, path).startsWith('lambda/sync-hooks/'))
    .flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/DeliveryRejected\(\s*(\d{3}),\s*'([a-z_]+)'/g)].map(
        ([, status, reason]) => `${status} ${reason}`,
      ),
    );
  return [...new Set(found)].sort();
}

/** `status reason` of every row of the README's "The verifier's answers" table. */
function answersInReadme(): string[] {
  const readme = readFileSync(join(ROOT, 'docs/verifier-answers.md'), 'utf8');
  const section = readme.split("# The verifier's answers")[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\|\s*(\d{3})\s*\|([^|]*)\|/.exec(line))
    .flatMap((row) =>
      row === null
        ? []
        : [...row[2]!.matchAll(/`([a-z_]+)`/g)].map(([, reason]) => `${row[1]} ${reason}`),
    );
}

describe("README: the verifier's answers", () => {
  it('has a row for every status and reason the verifier can answer', () => {
    const code = answersInCode();

    expect(code).toEqual(expect.arrayContaining(['413 body_too_large', '500 internal_error']));
    expect(code.filter((answer) => !answersInReadme().includes(answer))).toEqual([]);
  });
});
