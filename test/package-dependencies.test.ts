import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What a deployment runs or synthesizes: the Lambda code and the constructs. */
const SHIPPED_DIRS = ['lambda', 'lib', 'contract'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The packages a file loads at run time: `import type` is erased and loads nothing. */
function runtimePackages(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) ||
      (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier !== undefined)
    ) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .filter((specifier) => !builtinModules.includes(specifier))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

describe('package.json', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const uses = SHIPPED_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).flatMap((file) =>
    runtimePackages(file).map((name) => ({ name, file: relative(ROOT, file) })),
  );

  it('reads the imports it is meant to check', () => {
    expect(uses.map((use) => use.name)).toContain('@aws-sdk/client-sqs');
  });

  it('lists every package the Lambda code and the constructs load in dependencies', () => {
    // A devDependency is absent from a production install (`npm ci --omit=dev`), so code that
    // loads one works in this repo and fails wherever the package is installed for use.
    const missing = uses.filter((use) => manifest.dependencies[use.name] === undefined);
    expect(missing).toEqual([]);
  });
});
