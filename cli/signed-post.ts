/**
 * What the webhook and the hook modes of `send` share: the options of a signed POST and how a
 * failed request reads to a person.
 */

/** The options of a signed POST, shared by the webhook and the hook modes of `send`. */
export const SIGNED_POST_OPTIONS = {
  url: { type: 'string' },
  gzip: { type: 'boolean' },
  key: { type: 'string' },
  secret: { type: 'string' },
} as const;

/** A request that got no answer, in a word: the system's error code when there is one. */
export function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
