// @ts-check
/**
 * `npm run mutation`: StrykerJS over the domain core, the code that decides whether a delivery is
 * Stream's and what event it holds. Not part of `npm test` (it takes many minutes). Below 95 %
 * it fails; a mutant that no test can tell apart from the original is marked where it lives with
 * `// Stryker disable next-line <mutator>: <why it is equivalent>`.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'lambda/lib/signature.ts',
    'lambda/lib/decode.ts',
    'lambda/lib/gzip.ts',
    'lambda/lib/delivery.ts',
    'lambda/lib/credentials.ts',
    'lambda/lib/patterns.ts',
    'lambda/lib/routing-table.ts',
    'lambda/lib/large-event-pointer.ts',
    'lambda/lib/message-group.ts',
    'lambda/lib/dedupe-key.ts',
    'lambda/lib/source-ip.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 95 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { logTests: false },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // `npm run mutation -- --incremental` reruns only mutants whose code or tests changed.
  incrementalFile: 'reports/stryker-incremental.json',
  ignorePatterns: ['cdk.out', 'reports', 'coverage', '.bench'],
  tempDirName: '.stryker-tmp',
};
