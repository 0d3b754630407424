/**
 * Each function is assembled in one place, its composition root: the Lambda entry, `npm run dev`
 * and bench call the root with their adapters and never wire the handler or its parts again, so
 * no copy can drift from what is deployed. Found by call, in the parsed source (comments and
 * strings do not count).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Everything but the tests: the package, the CLI, `npm run dev`, bench and scripts. */
const SOURCE_DIRS = ['bin', 'contract', 'lib', 'lambda', 'dev', 'cli', 'bench', 'scripts'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The names of the functions each file calls directly (`f(...)`, not `x.f(...)`). */
function callsByFile(files: readonly string[]): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>();
  for (const file of files) {
    const names = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        names.add(node.expression.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    calls.set(relative(ROOT, file), names);
  }
  return calls;
}

const calls = callsByFile(SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))));
const callersOf = (name: string): string[] =>
  [...calls.entries()]
    .filter(([, names]) => names.has(name))
    .map(([file]) => file)
    .sort();

describe('composition roots', () => {
  it('finds calls in the source it is meant to check', () => {
    expect(calls.size).toBeGreaterThan(100);
    expect(callersOf('startDevPipeline')).toContain('dev/index.ts');
  });

  it.each([
    ['createVerifierHandler', ['lambda/verifier/compose.ts']],
    ['createConsumerHandler', ['lambda/consumer/compose.ts']],
    ['createSyncHookHandler', ['lambda/sync-hooks/compose.ts']],
    // The parts a root wires: the queue fan-out, the claims.
    ['sqsEnqueuer', ['lambda/verifier/compose.ts']],
    ['dynamoDbClaims', ['lambda/consumer/compose.ts', 'lambda/sync-hooks/compose.ts']],
  ])('%s is called by its root alone', (factory, roots) => {
    expect(callersOf(factory)).toEqual(roots);
  });

  it.each([
    ['composeVerifier', ['lambda/verifier/index.ts', 'dev/pipeline.ts']],
    ['composeConsumer', ['lambda/consumer/lambda.ts', 'dev/pipeline.ts']],
    ['composeSyncHooks', ['lambda/sync-hooks/lambda.ts', 'dev/pipeline.ts']],
  ])('%s builds the function in its Lambda and in npm run dev', (root, users) => {
    expect(callersOf(root)).toEqual(expect.arrayContaining(users));
  });
});
