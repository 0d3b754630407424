import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SYNC_HOOKS_ENV_NAMES,
  syncHooksEnv,
  readSyncHooksEnv,
  type SyncHooksEnvSettings,
} from '../../../contract/env/sync-hooks.js';
import { ConfigError } from '../../../contract/env/parse.js';
import { PROPERTY, nonEmptyText, positiveInteger, sourceCidrs } from './settings-arbitraries.js';

const settings: fc.Arbitrary<SyncHooksEnvSettings> = fc.record({
  secretId: nonEmptyText,
  budgetMs: positiveInteger,
  maxBodyBytes: positiveInteger,
  maxInflatedBytes: positiveInteger,
  idempotencyTable: nonEmptyText,
  dedupeTtlSeconds: positiveInteger,
  allowedSourceCidrs: sourceCidrs,
});

const EXAMPLE: SyncHooksEnvSettings = {
  secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-AbCdEf',
  budgetMs: 1000,
  maxBodyBytes: 4_669_440,
  maxInflatedBytes: 16_777_216,
  idempotencyTable: 'stream-events-claims',
  dedupeTtlSeconds: 86_400,
  allowedSourceCidrs: ['203.0.113.0/24'],
};

describe('the sync hooks environment', () => {
  it('reads back every setting it writes', () => {
    fc.assert(
      fc.property(settings, (written) => {
        expect(readSyncHooksEnv(syncHooksEnv(written))).toEqual(written);
      }),
      PROPERTY,
    );
  });

  it('writes only the names it declares, and the allowlist only when there is one', () => {
    expect(Object.keys(syncHooksEnv(EXAMPLE)).sort()).toEqual([...SYNC_HOOKS_ENV_NAMES].sort());
    expect(Object.keys(syncHooksEnv({ ...EXAMPLE, allowedSourceCidrs: null }))).not.toContain(
      'ALLOWED_SOURCE_CIDRS',
    );
  });

  it('names the service for Powertools and logs at INFO', () => {
    expect(syncHooksEnv(EXAMPLE)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'stream-events-hooks',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('refuses a budget that is not a positive integer, naming the variable and the value', () => {
    expect(() => readSyncHooksEnv({ ...syncHooksEnv(EXAMPLE), HOOK_BUDGET_MS: '0' })).toThrow(
      new ConfigError('environment variable HOOK_BUDGET_MS must be a positive integer, got "0"'),
    );
  });
});
