/**
 * The variables more than one function reads, each spelled here once; contract/env/verifier.ts,
 * consumer.ts and hooks.ts compose them into each function's whole environment.
 */
import { ConfigError, type Env, optionalString } from './parse.js';

/** Where the Stream API secrets are (the secret's ARN or name), never the secrets. */
export const STREAM_SECRET_ID = 'STREAM_SECRET_ID';
/** The claims table the consumers and the hook function share. */
export const IDEMPOTENCY_TABLE = 'IDEMPOTENCY_TABLE';
/** How long a claim keeps a duplicate out, in seconds. */
export const DEDUPE_TTL_SECONDS = 'DEDUPE_TTL_SECONDS';
/** The largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 'MAX_BODY_BYTES';
/** The largest a gzip body or queue message may inflate to, in bytes. */
export const MAX_INFLATED_BYTES = 'MAX_INFLATED_BYTES';
/** The bucket of events too large for a queue message (claim check). */
export const LARGE_EVENT_BUCKET = 'LARGE_EVENT_BUCKET';
/** Who may call the HTTP functions: comma-separated CIDRs. */
export const ALLOWED_SOURCE_CIDRS = 'ALLOWED_SOURCE_CIDRS';
/** Read by Powertools itself: the `service` of every log line and metric. */
export const POWERTOOLS_SERVICE_NAME = 'POWERTOOLS_SERVICE_NAME';
/** Read by Powertools itself: the lowest level a logger prints. */
export const POWERTOOLS_LOG_LEVEL = 'POWERTOOLS_LOG_LEVEL';
/** Read by Node itself, in every function. */
export const NODE_OPTIONS = 'NODE_OPTIONS';

/** Each function's `service`: in its log lines, its metrics' dimension and the alarms on them. */
export const VERIFIER_SERVICE = 'stream-events-verifier';
export const CONSUMER_SERVICE = 'stream-events-consumer';
export const SYNC_HOOKS_SERVICE = 'stream-events-hooks';

/** What Powertools reads in a function that logs as `service`. */
export function powertoolsEnv(service: string): Record<string, string> {
  return { [POWERTOOLS_SERVICE_NAME]: service, [POWERTOOLS_LOG_LEVEL]: 'INFO' };
}

/** What every function gets, whichever it is: stack traces through the bundle's source maps. */
export function nodeEnv(): Record<string, string> {
  return { [NODE_OPTIONS]: '--enable-source-maps' };
}

/** The large-event bucket's name: set on the verifier (stores) and the consumers (resolve). */
export function largeEventBucketEnv(bucket: string): Record<string, string> {
  return { [LARGE_EVENT_BUCKET]: bucket };
}

/** The bucket, or null: the verifier then answers 413, a consumer cannot resolve a pointer. */
export function readLargeEventBucket(env: Env): string | null {
  return optionalString(env, LARGE_EVENT_BUCKET);
}

/** The source-IP allowlist, as the value the functions read. */
export function sourceCidrsEnv(cidrs: readonly string[]): Record<string, string> {
  return { [ALLOWED_SOURCE_CIDRS]: cidrs.join(',') };
}

/**
 * The allowlist's entries as written (lambda/lib/config parses each into a network), or null
 * when unset or blank: no check. Set yet empty would refuse every caller, so it is refused.
 */
export function readSourceCidrs(env: Env): readonly string[] | null {
  const raw = env[ALLOWED_SOURCE_CIDRS];
  if (raw === undefined || raw.trim() === '') return null;
  const entries = raw.split(',').filter((entry) => entry.trim() !== '');
  if (entries.length === 0) {
    throw new ConfigError(`environment variable ${ALLOWED_SOURCE_CIDRS}: the list holds no CIDR`);
  }
  return entries;
}
