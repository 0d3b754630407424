import { describe, expect, it } from 'vitest';
import { readSourceCidrs } from '../../../../contract/env/common.js';
import { ConfigError, type Env } from '../../../../contract/env/parse.js';
import { sourceAllowlistFrom } from '../../../../lambda/lib/config/source-allowlist.js';
import { errorOf } from '../../support/error-of.js';

/** The allowlist a function builds from its environment at cold start. */
const optionalSourceAllowlist = (env: Env) => sourceAllowlistFrom(readSourceCidrs(env));

describe('optionalSourceAllowlist (env ALLOWED_SOURCE_CIDRS)', () => {
  it('is off when the variable is unset or empty', () => {
    expect(optionalSourceAllowlist({})).toBeUndefined();
    expect(optionalSourceAllowlist({ ALLOWED_SOURCE_CIDRS: '' })).toBeUndefined();
  });

  it('checks the listed networks when set', () => {
    const allowed = optionalSourceAllowlist({ ALLOWED_SOURCE_CIDRS: '203.0.113.0/24' });
    expect(allowed?.('203.0.113.9')).toBe(true);
    expect(allowed?.('198.51.100.1')).toBe(false);
  });

  it('refuses a list with no entry', () => {
    expect(() => optionalSourceAllowlist({ ALLOWED_SOURCE_CIDRS: ' , ' })).toThrow(/holds no CIDR/);
  });

  it('fails the cold start with a ConfigError on a bad entry', () => {
    const error = errorOf(() =>
      optionalSourceAllowlist({ ALLOWED_SOURCE_CIDRS: '203.0.113.0/24,nope' }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/ALLOWED_SOURCE_CIDRS: "nope" is not an IPv4/);
  });
});
