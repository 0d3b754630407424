import { expect, it } from 'vitest';
import { ConfigError } from '../../../../contract/env/parse.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../../contract/defaults.js';
import { loadSyncHooksConfig } from '../../../../lambda/lib/config/sync-hooks-config.js';

const REQUIRED = { STREAM_SECRET_ID: 'arn:secret', IDEMPOTENCY_TABLE: 'claims' };

it('reads the secret id and the claims table, and defaults the budget and the dedupe window', () => {
  expect(loadSyncHooksConfig(REQUIRED)).toMatchObject({
    secretId: 'arn:secret',
    idempotencyTable: 'claims',
    budgetMs: 1000,
    dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
  });
});

it('takes HOOK_BUDGET_MS, the size limits and DEDUPE_TTL_SECONDS from the environment', () => {
  expect(
    loadSyncHooksConfig({
      STREAM_SECRET_ID: 's',
      IDEMPOTENCY_TABLE: 't',
      HOOK_BUDGET_MS: '250',
      MAX_BODY_BYTES: '1000',
      MAX_INFLATED_BYTES: '2000',
      DEDUPE_TTL_SECONDS: '600',
    }),
  ).toEqual({
    secretId: 's',
    idempotencyTable: 't',
    budgetMs: 250,
    maxBodyBytes: 1000,
    maxInflatedBytes: 2000,
    dedupeTtlSeconds: 600,
  });
});

it('refuses a missing secret id, a missing claims table or a bad budget at cold start', () => {
  expect(() => loadSyncHooksConfig({ IDEMPOTENCY_TABLE: 't' })).toThrow(ConfigError);
  expect(() => loadSyncHooksConfig({ STREAM_SECRET_ID: 's' })).toThrow(/IDEMPOTENCY_TABLE/);
  expect(() => loadSyncHooksConfig({ ...REQUIRED, HOOK_BUDGET_MS: '0' })).toThrow(ConfigError);
});
