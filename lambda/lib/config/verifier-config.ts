import { optionalSourceAllowlist, positiveInteger, requiredString } from './env.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../domain/gzip.js';
import { LAMBDA_INVOKE_PAYLOAD_BYTES } from './lambda-limits.js';
import { SQS_MAX_MESSAGE_BYTES } from '../domain/queue-message.js';
import { parseRoutes, type GroupRoute } from '../domain/routing-table.js';
import type { SourceAllowed } from '../domain/source-ip.js';

/**
 * What an HTTP API (payload 2.0) event holds besides the body, with room to spare: API Gateway
 * takes at most 10 KiB of request line and headers, and the event carries them up to three times
 * (`headers`, `rawQueryString` and `queryStringParameters`, `requestContext.http.userAgent`),
 * JSON-escaped, plus about 1 KiB of request context.
 */
const EVENT_ENVELOPE_BYTES = 65_536;

/**
 * The largest request body that surely reaches the function: API Gateway base64-encodes a body
 * it does not take for text (a gzip body among them), 4 bytes for every 3, and the whole event
 * must fit Lambda's invoke payload. So (6,291,456 − 65,536) × 3 / 4 = 4,669,440 bytes. A plain
 * JSON body travels as text instead, each `"` and `\` escaped to two bytes: it fits too unless
 * a third of its bytes are quotes or backslashes. A larger body is refused by API Gateway or
 * Lambda before the verifier could answer 413.
 */
export const LARGEST_ARRIVING_BODY_BYTES = Math.floor(
  ((LAMBDA_INVOKE_PAYLOAD_BYTES - EVENT_ENVELOPE_BYTES) * 3) / 4,
);

/** The body cap unless configured: everything that can arrive. */
export const DEFAULT_MAX_BODY_BYTES = LARGEST_ARRIVING_BODY_BYTES;

export interface VerifierConfig {
  /** Every consumer group: its patterns and its queue (`ROUTES`, JSON written by the stack). */
  readonly routes: readonly GroupRoute[];
  /** ARN or name of the Secrets Manager secret: where the secrets are, never the secrets. */
  readonly secretId: string;
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  readonly maxQueueMessageBytes: number;
  /** The bucket for events too large for a queue message (`LARGE_EVENT_BUCKET`); null: 413. */
  readonly largeEventBucket: string | null;
  /** Who may call (`ALLOWED_SOURCE_CIDRS`); undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
  /** Events older than this are refused (`MAX_EVENT_AGE_SECONDS`, event-age.ts); null: off. */
  readonly maxEventAgeSeconds: number | null;
}

/** Read and checked once, at cold start. The names are set by lib/webhook-ingress.ts. */
export function loadVerifierConfig(env: NodeJS.ProcessEnv = process.env): VerifierConfig {
  return {
    routes: parseRoutes(requiredString(env, 'ROUTES')),
    secretId: requiredString(env, 'STREAM_SECRET_ID'),
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
    maxInflatedBytes: positiveInteger(env, 'MAX_INFLATED_BYTES', DEFAULT_MAX_INFLATED_BYTES),
    maxQueueMessageBytes: positiveInteger(env, 'MAX_QUEUE_MESSAGE_BYTES', SQS_MAX_MESSAGE_BYTES),
    largeEventBucket: env.LARGE_EVENT_BUCKET || null,
    sourceAllowed: optionalSourceAllowlist(env),
    // Set means a positive whole number; the fallback is never used.
    maxEventAgeSeconds: env.MAX_EVENT_AGE_SECONDS
      ? positiveInteger(env, 'MAX_EVENT_AGE_SECONDS', 1)
      : null,
  };
}
