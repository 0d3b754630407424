import { describe, expect, it } from 'vitest';
import { DeliveryRejected } from '../../../../lambda/lib/domain/errors.js';
import {
  assertSourceAllowed,
  formatCidr,
  parseCidr,
  sourceIpAllowlist,
} from '../../../../lambda/lib/domain/source-ip.js';
import { errorOf } from '../../support/error-of.js';

describe('parseCidr', () => {
  it.each([
    ['203.0.113.0/24', { address: '203.0.113.0', prefix: 24, family: 'ipv4' }],
    ['34.225.10.29', { address: '34.225.10.29', prefix: 32, family: 'ipv4' }],
    [' 2001:db8::/32 ', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['2001:db8::1', { address: '2001:db8::1', prefix: 128, family: 'ipv6' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['34.225.10.29/32', { address: '34.225.10.29', prefix: 32, family: 'ipv4' }],
    ['2001:db8::1/128', { address: '2001:db8::1', prefix: 128, family: 'ipv6' }],
  ])('reads %s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each([
    ['a host name', 'stream.io/32', /not an IPv4 or IPv6 address/],
    ['an address with too many octets', '1.2.3.4.5/32', /not an IPv4 or IPv6 address/],
    ['an IPv4 prefix above 32', '10.0.0.0/33', /bad prefix length: 0 to 32 for ipv4/],
    ['an IPv6 prefix above 128', '2001:db8::/129', /bad prefix length: 0 to 128 for ipv6/],
    ['a negative prefix', '10.0.0.0/-1', /bad prefix length/],
    ['an empty prefix', '10.0.0.0/', /bad prefix length/],
    ['a fractional prefix', '10.0.0.0/8.5', /bad prefix length/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });

  it('writes each network back as address/prefix, a bare address with its full prefix', () => {
    const list = ['203.0.113.0/24', ' 2001:db8::1'].map(parseCidr);
    expect(list.map(formatCidr).join(',')).toBe('203.0.113.0/24,2001:db8::1/128');
  });
});

describe('sourceIpAllowlist', () => {
  const allowed = sourceIpAllowlist(
    ['203.0.113.0/24', '34.225.10.29', '2001:db8::/32'].map(parseCidr),
  );

  it.each([
    ['the first address of a /24', '203.0.113.0'],
    ['the last address of a /24', '203.0.113.255'],
    ['a single allowed address', '34.225.10.29'],
    ['an IPv6 address inside a /32', '2001:db8:ffff::42'],
  ])('accepts %s', (_name, ip) => {
    expect(allowed(ip)).toBe(true);
  });

  it.each([
    ['the address just below a /24', '203.0.112.255'],
    ['the address just above a /24', '203.0.114.0'],
    ['a neighbour of a single address', '34.225.10.30'],
    ['an IPv6 address outside the /32', '2001:db9::1'],
    ['text that is not an address', 'not-an-ip'],
    ['an empty string', ''],
  ])('refuses %s', (_name, ip) => {
    expect(allowed(ip)).toBe(false);
  });
});

describe('assertSourceAllowed', () => {
  const allowed = sourceIpAllowlist([parseCidr('203.0.113.7')]);

  it('lets everything through when no allowlist is configured', () => {
    expect(() => assertSourceAllowed('198.51.100.1', undefined)).not.toThrow();
  });

  it('lets an allowed address through', () => {
    expect(() => assertSourceAllowed('203.0.113.7', allowed)).not.toThrow();
  });

  it('refuses another address with 403 source_ip_not_allowed, naming the address', () => {
    const error = errorOf(() => assertSourceAllowed('198.51.100.1', allowed));
    expect(error).toBeInstanceOf(DeliveryRejected);
    expect(error).toMatchObject({
      status: 403,
      reason: 'source_ip_not_allowed',
      message: 'source IP 198.51.100.1 is not in the allowlist',
    });
  });

  it('refuses a request without a source address', () => {
    expect(() => assertSourceAllowed(undefined, allowed)).toThrow(/source IP \(none\)/);
  });

  it('refuses a request without a source address whatever the matcher would say', () => {
    expect(() => assertSourceAllowed(undefined, () => true)).toThrow(/source IP \(none\)/);
  });
});
