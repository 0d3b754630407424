import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../lambda/lib/domain/source-ip.js';
import { sourceCidrsEnv } from '../../contract/env/common.js';
import {
  MAX_ALLOWLIST_ENV_BYTES,
  checkedSourceCidrs,
  streamEgressCidrs,
} from '../../lib/source-allowlist.js';

/** The env value the functions get for `cidrs`, checked at synth. */
const allowlistEnvValue = (id: string, cidrs: readonly string[]): string =>
  Object.values(sourceCidrsEnv(checkedSourceCidrs(id, cidrs))).join('');

interface EgressData {
  readonly source: string;
  readonly retrieved: string;
  readonly regions: Record<string, string[]>;
}

const DATA = JSON.parse(
  readFileSync(new URL('../../lib/data/stream-egress-ips.json', import.meta.url), 'utf8'),
) as EgressData;

/** A copy of the data file with other regions, to test the loader against. */
function dataFile(regions: Record<string, string[]>): URL {
  const file = join(mkdtempSync(join(tmpdir(), 'egress-')), 'ips.json');
  writeFileSync(file, JSON.stringify({ ...DATA, regions }));
  return pathToFileURL(file);
}

describe("Stream's published egress IPs (lib/data/stream-egress-ips.json)", () => {
  it('names where the list comes from and when it was read', () => {
    expect(DATA.source).toMatch(/^https:\/\/getstream\.io\//);
    expect(DATA.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('holds only valid CIDRs, none twice', () => {
    const cidrs = streamEgressCidrs();
    expect(cidrs.length).toBeGreaterThan(0);
    for (const cidr of cidrs) expect(() => parseCidr(cidr)).not.toThrow();
    expect(new Set(cidrs).size).toBe(cidrs.length);
  });

  it('refuses to enable the allowlist from a file that lists no address', () => {
    expect(() => streamEgressCidrs(dataFile({}))).toThrow(
      /sourceIpAllowlist: true asks for Stream's published egress IPs, but .* lists none/,
    );
  });
});

describe('allowlistEnvValue', () => {
  it('normalizes bare addresses to /32 and /128', () => {
    expect(allowlistEnvValue('Webhook', ['203.0.113.7', '2001:db8::1', '10.0.0.0/8'])).toBe(
      '203.0.113.7/32,2001:db8::1/128,10.0.0.0/8',
    );
  });

  it('refuses an empty list, which would lock Stream out', () => {
    expect(() => allowlistEnvValue('Webhook', [])).toThrow(/Webhook: sourceIpAllowlist is empty/);
  });

  it('refuses a list too long for the 4 KB Lambda environment', () => {
    const many = Array.from({ length: 200 }, (_, index) => `10.0.${index}.0/24`);
    expect(() => allowlistEnvValue('Webhook', many)).toThrow(
      new RegExp(`more than the ${MAX_ALLOWLIST_ENV_BYTES} it may use`),
    );
  });

  it("fits Stream's published list with room to spare", () => {
    const value = allowlistEnvValue('Webhook', streamEgressCidrs());
    expect(Buffer.byteLength(value)).toBeLessThan(MAX_ALLOWLIST_ENV_BYTES / 2);
  });
});
