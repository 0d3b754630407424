import { expect, it } from 'vitest';
import { ConfigError } from '../../../lambda/lib/config.js';
import { loadHooksConfig } from '../../../lambda/lib/hooks-config.js';

it('reads the secret id and defaults the budget to 1000 ms', () => {
  expect(loadHooksConfig({ STREAM_SECRET_ID: 'arn:secret' })).toMatchObject({
    secretId: 'arn:secret',
    budgetMs: 1000,
  });
});

it('takes HOOK_BUDGET_MS and the size limits from the environment', () => {
  expect(
    loadHooksConfig({
      STREAM_SECRET_ID: 's',
      HOOK_BUDGET_MS: '250',
      MAX_BODY_BYTES: '1000',
      MAX_INFLATED_BYTES: '2000',
    }),
  ).toEqual({ secretId: 's', budgetMs: 250, maxBodyBytes: 1000, maxInflatedBytes: 2000 });
});

it('refuses a missing secret id or a bad budget at cold start', () => {
  expect(() => loadHooksConfig({})).toThrow(ConfigError);
  expect(() => loadHooksConfig({ STREAM_SECRET_ID: 's', HOOK_BUDGET_MS: '0' })).toThrow(
    ConfigError,
  );
});
