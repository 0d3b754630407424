/**
 * What every server-side call to Stream's API shares, for the Lambda helpers and the CLI alike:
 * the default base URL, the server token, and the rule that the token travels only over https.
 */
import { SignJWT } from 'jose';

/** Stream's Chat REST API; an edge or regional base URL may replace it. */
export const DEFAULT_STREAM_BASE_URL = 'https://chat.stream-io-api.com';

/** A base URL the server token must not be sent to. */
export class InsecureStreamBaseUrl extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsecureStreamBaseUrl';
  }
}

/** 127.0.0.0/8, [::1] and `localhost`: traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // WHATWG URL has already normalised IPv4 (`127.1` is `127.0.0.1`) and IPv6 (`[0::1]` is `[::1]`).
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The base URL without trailing slashes, once it is https, or http to loopback (a local stand-in
 * for Stream). The token is a bearer credential signed with the API secret and valid without
 * expiry, so plain http to any other host would hand the app to whoever sees the traffic.
 */
export function streamBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InsecureStreamBaseUrl(`${value} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InsecureStreamBaseUrl(`${value} is not an http(s) URL`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InsecureStreamBaseUrl(
      `${value} is not https: the server token (signed with the API secret) would travel in ` +
        'clear; use https (http only for loopback: localhost, 127.0.0.0/8, [::1])',
    );
  }
  return value.replace(/\/+$/, '');
}

/** The server-side token: HS256 over exactly `{"server": true}`, keyed by the secret's UTF-8 bytes. */
export function serverToken(secret: string): Promise<string> {
  return new SignJWT({ server: true })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
