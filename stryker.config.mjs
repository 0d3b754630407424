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
    'lambda/lib/domain/signature.ts',
    'lambda/lib/domain/decode.ts',
    'lambda/lib/domain/gzip.ts',
    'lambda/lib/domain/delivery.ts',
    'lambda/lib/domain/api-key-secrets.ts',
    'lambda/lib/domain/patterns.ts',
    'lambda/lib/domain/routing-table.ts',
    'lambda/lib/domain/large-event-pointer.ts',
    'lambda/lib/domain/message-group.ts',
    'lambda/lib/domain/dedupe-key.ts',
    'lambda/lib/domain/source-ip.ts',
    // The checks on patterns and group names that the stack, the functions and the CLI share.
    'contract/patterns.ts',
    'contract/names.ts',
  ],
  coverageAnalysis: 'perTest',
  // Code run at import (module constants, tables built at cold start) cannot be tied to the tests
  // that reach it, so each of its mutants would rerun the whole unit suite: about two hours on
  // two cores. Such mutants are left out of the score; `-- --ignoreStatic false` runs them too.
  ignoreStatic: true,
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
