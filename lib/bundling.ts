import { join } from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { REPO_ROOT } from '../contract/entry-file.js';

/**
 * Packages replaced in every Lambda bundle, by a module path relative to the repository root (the
 * directory NodejsFunction runs esbuild in). The SDK's default credential chain is a third of a
 * bundle and in Lambda only its first link, the environment, ever answers: see
 * lambda/lib/adapters/aws-clients/aws-env-credential-provider.ts. Code run unbundled (dev, tests,
 * CLI) keeps the chain.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node':
    './lambda/lib/adapters/aws-clients/aws-env-credential-provider.ts',
};

/**
 * Rarely needed packages that a bundle imports only dynamically (`await import(pkg)`): left out of
 * `index.mjs` and built beside it, at their locked version, as their own minified file
 * `node_modules/<pkg>/index.mjs`, which Node reads only when that import first runs. Bundled
 * inline, a dynamic import still puts the whole package in the one file every cold start loads:
 * the S3 client, needed only for an event too large for SQS, was half the verifier's bundle.
 */
export const LAMBDA_LAZY_PACKAGES: readonly string[] = ['@aws-sdk/client-s3'];

/**
 * Defines `require` inside the ESM bundle, so CommonJS dependencies bundled by esbuild (parts of
 * the AWS SDK v3 among them) can still `require` Node built-ins.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * How every Lambda bundle is built, in one place: the stack hands these to NodejsFunction, and
 * bench/ and the bundle-size budget test build with esbuild directly from the very same values,
 * so what is measured is what is deployed.
 */
export const LAMBDA_BUNDLE = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  // NodejsFunction has no `alias` prop; it passes each item as `--alias:<from>=<to>`.
  esbuildArgs: {
    '--alias': Object.entries(LAMBDA_ALIASES).map(([from, to]) => `${from}=${to}`),
  },
  externalModules: [...LAMBDA_LAZY_PACKAGES],
  commandHooks: lazyPackageHooks(),
} as const;

/**
 * esbuild's own options for the bundle NodejsFunction builds from `entry`: ESM, everything bundled
 * but the lazy packages, which `lazyPackageOptionsFor` builds beside it.
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: absoluteAliases(),
    external: [...LAMBDA_LAZY_PACKAGES],
    logLevel: 'silent',
  };
}

/**
 * esbuild's options for a lazy package's own file beside a bundle in `outdir` (the bundle's
 * directory); write `lazyPackageManifest(pkg)` next to it so Node resolves the package there.
 */
export function lazyPackageOptionsFor(pkg: string, outdir: string): BuildOptions {
  return {
    stdin: { contents: `export * from '${pkg}';`, resolveDir: REPO_ROOT, loader: 'js' },
    outfile: join(outdir, 'node_modules', pkg, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: absoluteAliases(),
    logLevel: 'silent',
  };
}

/** The package.json that makes `import(pkg)` load the lazy package's file as ESM. */
export function lazyPackageManifest(pkg: string): string {
  return JSON.stringify({ name: pkg, type: 'module', main: 'index.mjs' });
}

function absoluteAliases(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(LAMBDA_ALIASES).map(([from, to]) => [from, join(REPO_ROOT, to)]),
  );
}

/**
 * NodejsFunction's side of LAMBDA_LAZY_PACKAGES: after esbuild wrote `index.mjs`, build each lazy
 * package the bundle imports into the asset, with the same esbuild, target and aliases (run from
 * the project root, where the alias paths start).
 */
function lazyPackageHooks(): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      LAMBDA_LAZY_PACKAGES.map((pkg) => {
        const dir = `${outputDir}/node_modules/${pkg}`;
        const args = [
          '--bundle',
          '--platform=node',
          '--format=esm',
          `--target=${LAMBDA_BUNDLE.target}`,
          '--minify',
          `--main-fields=${LAMBDA_BUNDLE.mainFields.join(',')}`,
          `--banner:js=${LAMBDA_BUNDLE.banner}`,
          ...LAMBDA_BUNDLE.esbuildArgs['--alias'].map((alias) => `--alias:${alias}`),
          '--log-level=warning',
          `--outfile=${dir}/index.mjs`,
        ];
        return [
          `cd ${sh(inputDir)}`,
          `if grep -qF ${sh(`"${pkg}"`)} ${sh(`${outputDir}/index.mjs`)}; then`,
          `  ESBUILD=node_modules/.bin/esbuild; [ -x "$ESBUILD" ] || ESBUILD=esbuild;`,
          `  echo ${sh(`export * from '${pkg}';`)} | "$ESBUILD" ${args.map(sh).join(' ')}` +
            ` && printf '%s' ${sh(lazyPackageManifest(pkg))} > ${sh(`${dir}/package.json`)};`,
          'fi',
        ].join('\n');
      }),
  };
}

/** One shell word, whatever it holds. */
function sh(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
