import type { BeforeMessageSendHook } from '../../lib/domain/sync-hooks.js';

export interface MessageGuardOptions {
  /** Words that reject a message outright (whole words, any case). */
  readonly blocklist: readonly string[];
  /** What the sender sees when a message is rejected. */
  readonly rejectText?: string;
}

/**
 * The longest text the guard scans: Stream's highest `max_message_length` (5,000 by default,
 * at most 20,000 per channel type), counted as up to two UTF-16 units a character. Stream
 * cannot save a longer message, so the guard rejects one rather than pass what it did not check.
 */
export const MAX_SCANNED_TEXT = 2 * 20_000;

/**
 * An e-mail address, in linear time. The textbook `[local]+@domain` is quadratic: on a long run
 * of address characters with no `@`, the engine retries from every position and reads to the run's
 * end each time. Here a run of local-part characters is consumed whole and the
 * `@domain` after it is optional, so every run matches once and the search resumes after it; the
 * replacer keeps a run without a domain. It masks what the textbook pattern masks.
 */
export const EMAIL = /[A-Z0-9._%+-]+(@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,})?/gi;
/** 8 to 15 digits, optionally `+`-prefixed and grouped by spaces, dots, dashes or parentheses. */
export const PHONE = /(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){7,14}(?!\w)/g;

const TOO_LONG = 'Your message was not sent: it is too long.';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces e-mail addresses and phone numbers with placeholders. */
export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (run, domain?: string) => (domain === undefined ? run : '[email]'))
    .replace(PHONE, '[phone]');
}

/** Matches any of `words` as a whole word, in any case; null when there is none. */
export function blocklistPattern(blocklist: readonly string[]): RegExp | null {
  const words = blocklist.filter((word) => word.trim() !== '').map(escapeRegExp);
  return words.length > 0 ? new RegExp(`\\b(?:${words.join('|')})\\b`, 'i') : null;
}

/**
 * A Before Message Send hook: rejects a message holding a blocklisted word or longer than
 * `MAX_SCANNED_TEXT`, masks e-mail addresses and phone numbers in the rest, and passes everything
 * else unchanged.
 */
export function messageGuard(options: MessageGuardOptions): BeforeMessageSendHook {
  const blocked = blocklistPattern(options.blocklist);
  const rejectText = options.rejectText ?? 'Your message was not sent: it contains a blocked word.';
  return ({ message }) => {
    const text = message.text ?? '';
    if (text.length > MAX_SCANNED_TEXT) return { action: 'reject', text: TOO_LONG };
    if (blocked?.test(text)) return { action: 'reject', text: rejectText };
    const masked = maskPii(text);
    return masked === text ? { action: 'pass' } : { action: 'rewrite', message: { text: masked } };
  };
}
