import { BlockList, isIP } from 'node:net';
import { DeliveryRejected } from './errors.js';

/** One allowed network: an address and how many leading bits of it must match. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** Answers whether a request's source address may call the endpoint. */
export type SourceAllowed = (sourceIp: string) => boolean;

/**
 * One CIDR (`203.0.113.0/24`, `2001:db8::/32`) or a bare address (a /32 or /128). Shared by the
 * stack, which refuses a bad entry at synth, and the functions, which refuse it at cold start.
 */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const version = isIP(address);
  if (version === 0) {
    throw new Error(`"${text}" is not an IPv4 or IPv6 address or CIDR`);
  }
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const maxPrefix = version === 4 ? 32 : 128;
  if (slash === -1) return { address, prefix: maxPrefix, family };
  const prefixText = trimmed.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > maxPrefix) {
    throw new Error(`"${text}" has a bad prefix length: 0 to ${maxPrefix} for ${family}`);
  }
  return { address, prefix, family };
}

/** The network as one text, `address/prefix`: how the stack writes each entry of an allowlist. */
export function formatCidr(cidr: Cidr): string {
  return `${cidr.address}/${cidr.prefix}`;
}

/** A matcher over `cidrs`; Node's BlockList does the address arithmetic, for both families. */
export function sourceIpAllowlist(cidrs: readonly Cidr[]): SourceAllowed {
  const list = new BlockList();
  for (const cidr of cidrs) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  // BlockList.check answers false for anything that is not an address of the family asked.
  return (sourceIp) => list.check(sourceIp, isIP(sourceIp) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The first check on a request when an allowlist is configured: a caller outside it gets 403
 * before its body is read or any secret is fetched.
 */
export function assertSourceAllowed(
  sourceIp: string | undefined,
  allowed: SourceAllowed | undefined,
): void {
  if (allowed === undefined) return;
  if (sourceIp === undefined || !allowed(sourceIp)) {
    throw new DeliveryRejected(
      403,
      'source_ip_not_allowed',
      `source IP ${sourceIp ?? '(none)'} is not in the allowlist`,
    );
  }
}
