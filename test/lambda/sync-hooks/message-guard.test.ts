/**
 * The sample message guard's cost: its patterns are linear in the text they scan (proved by a
 * ReDoS checker's automaton analysis, which counts no time and so cannot flake), it masks what
 * the textbook e-mail pattern masks, and it never scans more than Stream can send.
 */
import fc from 'fast-check';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import {
  EMAIL,
  MAX_SCANNED_TEXT,
  PHONE,
  blocklistPattern,
  maskPii,
  messageGuard,
} from '../../../lambda/handlers/sync-hooks/message-guard.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';

/** The usual e-mail pattern: right, but quadratic on a long run of address characters. */
const TEXTBOOK_EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;

async function complexityOf(pattern: RegExp): Promise<string> {
  // The automaton checker decides from the pattern alone; no timeout, so a busy machine
  // cannot turn the answer into `unknown`.
  const result = await check(pattern.source, pattern.flags, {
    checker: 'automaton',
    timeout: null,
  });
  if (result.status === 'unknown') throw new Error(`recheck: ${result.error.kind}`);
  return result.complexity.type;
}

describe('the message guard scans in linear time', () => {
  it('the checker tells a quadratic pattern from a linear one', async () => {
    expect(await complexityOf(TEXTBOOK_EMAIL)).toBe('polynomial');
  });

  it.each([
    ['e-mail', EMAIL],
    ['phone', PHONE],
    ['blocklist', blocklistPattern(['scam', 'crypto-giveaway', 'a.b'])],
  ])('the %s pattern backtracks at most linearly', async (_name, pattern) => {
    expect(pattern).not.toBeNull();
    expect(['safe', 'linear']).toContain(await complexityOf(pattern as RegExp));
  });
});

describe('maskPii', () => {
  it('masks exactly what the textbook pattern masks', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'B', '1', '.', '-', '_', '+', '@', ' ', 'c', 'o', 'm', '\n'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (input) => {
        expect(maskPii(input)).toBe(
          input.replace(TEXTBOOK_EMAIL, '[email]').replace(PHONE, '[phone]'),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['a@b.com_x@c.org', '[email][email]'],
    ['x@y@b.com', 'x@[email]'],
    ['a@b.com1', '[email]1'],
    ['a@b.c.de9 z', '[email]9 z'],
    ['no-at-sign.example.com', 'no-at-sign.example.com'],
  ])('maskPii(%j)', (input, output) => {
    expect(maskPii(input)).toBe(output);
  });
});

describe('the scanned length', () => {
  const guard = messageGuard({ blocklist: ['scam'] });
  const context = { logger: createLogger('t'), signal: new AbortController().signal };
  const send = (text: string) => guard({ message: { text } }, context);

  it('is what Stream can send: 20,000 characters, each up to two UTF-16 units', () => {
    expect(MAX_SCANNED_TEXT).toBe(2 * 20_000);
  });

  it('scans a text of the longest length Stream sends, to its end', async () => {
    const text = `${'x'.repeat(MAX_SCANNED_TEXT - 20)} bob@example.com`;
    expect(await send(text)).toEqual({
      action: 'rewrite',
      message: { text: `${'x'.repeat(MAX_SCANNED_TEXT - 20)} [email]` },
    });
  });

  it('rejects a longer text without scanning it, rather than pass what it has not checked', async () => {
    expect(await send(`${'a'.repeat(MAX_SCANNED_TEXT)} bob@example.com`)).toEqual({
      action: 'reject',
      text: expect.stringContaining('too long'),
    });
  });
});
