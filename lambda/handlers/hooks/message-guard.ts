import type { BeforeMessageSendHook } from '../../lib/sync-hooks.js';

export interface MessageGuardOptions {
  /** Words that reject a message outright (whole words, any case). */
  readonly blocklist: readonly string[];
  /** What the sender sees when a message is rejected. */
  readonly rejectText?: string;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
/** 8 to 15 digits, optionally `+`-prefixed and grouped by spaces, dots, dashes or parentheses. */
const PHONE = /(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){7,14}(?!\w)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces e-mail addresses and phone numbers with placeholders. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * A Before Message Send hook: rejects a message holding a blocklisted word, masks e-mail
 * addresses and phone numbers in the rest, and passes everything else unchanged.
 */
export function messageGuard(options: MessageGuardOptions): BeforeMessageSendHook {
  const words = options.blocklist.filter((word) => word.trim() !== '').map(escapeRegExp);
  const blocked = words.length > 0 ? new RegExp(`\\b(?:${words.join('|')})\\b`, 'i') : null;
  const rejectText = options.rejectText ?? 'Your message was not sent: it contains a blocked word.';
  return ({ message }) => {
    const text = message.text ?? '';
    if (blocked?.test(text)) return { action: 'reject', text: rejectText };
    const masked = maskPii(text);
    return masked === text ? { action: 'pass' } : { action: 'rewrite', message: { text: masked } };
  };
}
