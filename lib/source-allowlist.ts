import { readFileSync } from 'node:fs';
import { ALLOWED_SOURCE_CIDRS, sourceCidrsEnv } from '../contract/env/common.js';
import { formatCidr, parseCidr } from '../lambda/lib/domain/source-ip.js';

/**
 * The most of Lambda's 4 KB environment (all names and values together) the allowlist may take:
 * the rest holds ROUTES (one queue URL per consumer group), the secret's ARN and the limits.
 * About 110 IPv4 or 50 IPv6 CIDRs fit; a longer list belongs in a WAF IP set instead.
 */
export const MAX_ALLOWLIST_ENV_BYTES = 2048;

/** What lib/data/stream-egress-ips.json holds. */
interface StreamEgressData {
  readonly source: string;
  readonly retrieved: string;
  readonly regions: Readonly<Record<string, readonly string[]>>;
}

const DATA_FILE = new URL('./data/stream-egress-ips.json', import.meta.url);

/**
 * Stream's published webhook egress addresses (lib/data/stream-egress-ips.json), all regions:
 * an app's region is not visible from its credentials, so every region's addresses are allowed.
 */
export function streamEgressCidrs(file: URL = DATA_FILE): string[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as StreamEgressData;
  const cidrs = Object.values(data.regions ?? {}).flat();
  if (cidrs.length === 0) {
    throw new Error(
      `sourceIpAllowlist: true asks for Stream's published egress IPs, but ${file.pathname} ` +
        `lists none (source: ${data.source}); pass your own CIDRs as a list instead`,
    );
  }
  return cidrs;
}

/**
 * The allowlist the functions get (contract/env/common.ts writes it), checked so a mistake fails
 * at synth: every entry a valid IPv4/IPv6 address or CIDR, normalized to `address/prefix`; at
 * least one entry; and within the env budget.
 */
export function checkedSourceCidrs(id: string, cidrs: readonly string[]): string[] {
  if (cidrs.length === 0) {
    throw new Error(
      `${id}: sourceIpAllowlist is empty, which would refuse every request; ` +
        'leave it out to accept any source',
    );
  }
  const normalized = cidrs.map((cidr, index) => {
    try {
      return formatCidr(parseCidr(cidr));
    } catch (error) {
      throw new Error(
        `${id}: sourceIpAllowlist[${index}]: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  const bytes = Buffer.byteLength(sourceCidrsEnv(normalized)[ALLOWED_SOURCE_CIDRS] ?? '');
  if (bytes > MAX_ALLOWLIST_ENV_BYTES) {
    throw new Error(
      `${id}: sourceIpAllowlist takes ${bytes} bytes of the function's environment, more than ` +
        `the ${MAX_ALLOWLIST_ENV_BYTES} it may use (Lambda allows 4 KB for all variables); ` +
        'merge addresses into wider CIDRs or filter with AWS WAF instead',
    );
  }
  return normalized;
}
