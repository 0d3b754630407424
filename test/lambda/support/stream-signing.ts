import { createHmac } from 'node:crypto';
import type { CredentialSource } from '../../../lambda/lib/domain/delivery.js';

/**
 * The `X-Signature` Stream sends: hex HMAC-SHA256 of the exact body bytes, keyed by the API
 * secret. Written from Stream's spec here, deliberately not through lambda/lib/domain/signature.ts, so
 * the tests stay an independent oracle: a bug there cannot sign and accept its own mistake.
 * A string body is signed as its UTF-8 bytes, as Stream does.
 */
export function streamSignature(bytes: Uint8Array | string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(bytes).digest('hex');
}

/**
 * Credentials that never change: each API key with its active secrets (several while rotating).
 * `refresh` returns null, as when a reload is too soon, so a mismatch stays a mismatch.
 */
export function fixedCredentials(
  keys: Readonly<Record<string, readonly string[]>>,
): CredentialSource {
  const credentials = new Map(Object.entries(keys));
  return { current: async () => credentials, refresh: async () => null };
}

/** A source whose cached credentials are `cached` and whose reload finds `reloaded`. */
export interface ReloadingCredentials extends CredentialSource {
  /** How many times a mismatch asked for a reload. */
  readonly refreshes: number;
}

/**
 * Credentials that changed in the store since the container cached them (a rotated secret, a key
 * added): `current` serves `cached`, `refresh` finds `reloaded` and serves it from then on.
 */
export function reloadingCredentials(
  cached: Readonly<Record<string, readonly string[]>>,
  reloaded: Readonly<Record<string, readonly string[]>>,
): ReloadingCredentials {
  let credentials = new Map(Object.entries(cached));
  let refreshes = 0;
  return {
    current: async () => credentials,
    refresh: async () => {
      refreshes += 1;
      credentials = new Map(Object.entries(reloaded));
      return credentials;
    },
    get refreshes() {
      return refreshes;
    },
  };
}
