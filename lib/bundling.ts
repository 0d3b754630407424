import type { BuildOptions } from 'esbuild';

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
} as const;

/** esbuild's own options for the bundle NodejsFunction builds from `entry` (ESM, all bundled). */
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
    logLevel: 'silent',
  };
}
