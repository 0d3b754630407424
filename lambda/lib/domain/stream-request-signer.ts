import { gzipSync } from 'node:zlib';
import { hmacHex } from './signature.js';

/** One request as Stream sends it to the webhook or to a synchronous hook. */
export interface SignedRequest {
  /** What goes on the wire: the JSON, or its gzip. */
  readonly body: Buffer;
  /** Every header Stream sends but `X-Webhook-Attempt`, which counts the attempts. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface SignOptions {
  readonly apiKey: string;
  readonly secret: string;
  readonly gzip: boolean;
  readonly webhookId: string;
}

/**
 * The body and headers of one Stream request. Stream signs the webhook and its synchronous hooks
 * alike: `X-Signature` is the HMAC the verifier checks (signature.ts), always over the
 * uncompressed JSON, also when the body travels gzipped. The sending side of that check, for
 * `npm run send`, bench, soak and the tests; no Lambda imports it.
 */
export function signedRequest(json: Buffer, options: SignOptions): SignedRequest {
  return {
    body: options.gzip ? gzipSync(json) : json,
    headers: {
      'Content-Type': 'application/json',
      ...(options.gzip ? { 'Content-Encoding': 'gzip' } : {}),
      'X-Api-Key': options.apiKey,
      'X-Signature': hmacHex(json, options.secret),
      'X-Webhook-Id': options.webhookId,
    },
  };
}
