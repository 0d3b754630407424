import { defineConfig } from 'vitest/config';
import { UNIT_TESTS } from './vitest.config.js';

// What Stryker runs against each mutant: the unit project alone. Integration and synth start
// servers, child processes and CDK, which a mutant run on a shared 2-core machine cannot afford,
// and the domain core they exercise is the one the unit tests pin.
export default defineConfig({
  test: { ...UNIT_TESTS, testTimeout: 60_000, hookTimeout: 60_000 },
});
