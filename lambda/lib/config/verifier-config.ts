import { optionalSourceAllowlist, positiveInteger, requiredString } from './env.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from '../../../contract/limits.js';
import { parseRoutes, type GroupRoute } from '../domain/routing-table.js';
import type { SourceAllowed } from '../domain/source-ip.js';

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
