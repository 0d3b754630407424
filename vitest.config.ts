import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

// Three projects so the inner loop stays short: `npm run test:unit` runs pure code in seconds;
// integration starts real wire-protocol servers (SQS, DynamoDB) and child processes; synth runs
// CDK. `npm test` runs all three.
const SYNTH = [
  // test/lib/routing/ holds pure routing tables: unit, not synth.
  'test/lib/*.test.ts',
  'test/security/**/*.test.ts',
  'test/scripts/cost/command.test.ts',
];
const INTEGRATION = [
  'test/dev/**/*.test.ts',
  'test/reliability/**/*.test.ts',
  'test/contract/cdk-free.test.ts',
  'test/lambda/consumer/**/*.test.ts',
  'test/lambda/sync-hooks/compose.test.ts',
  'test/lambda/sync-hooks/lambda.test.ts',
  'test/lambda/verifier/compose.test.ts',
  'test/lambda/verifier/fan-out.test.ts',
  'test/lambda/verifier/handler.test.ts',
  'test/lambda/lib/adapters/sqs-enqueuer.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/redrive.test.ts',
  'test/cli/send-sqs.test.ts',
  'test/cli/status.test.ts',
];

/** Pure code in seconds: also what `npm run mutation` runs against each mutant (stryker.config.mjs). */
export const UNIT_TESTS = {
  include: ['test/**/*.test.ts'],
  exclude: [...SYNTH, ...INTEGRATION],
};

export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    // CDK synth and the embedded SQS server make some files slow on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', ...UNIT_TESTS },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
      { extends: true, test: { name: 'synth', include: SYNTH } },
    ],
  },
});
