/**
 * The verifier's environment: lib/webhook-ingress.ts writes it (with lib/large-event-bucket.ts
 * for the bucket), lambda/lib/config/verifier-config.ts reads it at cold start. A test
 * round-trips it (test/contract/env/verifier.test.ts).
 */
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from '../limits.js';
import { assertValidGroupName } from '../names.js';
import { assertValidPattern } from '../patterns.js';
import {
  ALLOWED_SOURCE_CIDRS,
  LARGE_EVENT_BUCKET,
  MAX_BODY_BYTES,
  MAX_INFLATED_BYTES,
  POWERTOOLS_LOG_LEVEL,
  POWERTOOLS_SERVICE_NAME,
  STREAM_SECRET_ID,
  VERIFIER_SERVICE,
  largeEventBucketEnv,
  powertoolsEnv,
  readLargeEventBucket,
  readSourceCidrs,
  sourceCidrsEnv,
} from './common.js';
import {
  ConfigError,
  type Env,
  optionalPositiveInteger,
  parseJson,
  positiveInteger,
  requiredString,
} from './parse.js';

/** Every consumer group, its patterns and its queue, as JSON of `{group, patterns, queueUrl, fifo}`. */
export const ROUTES = 'ROUTES';
/** The largest queue message the verifier sends, in bytes; a larger event goes to the bucket. */
export const MAX_QUEUE_MESSAGE_BYTES = 'MAX_QUEUE_MESSAGE_BYTES';
/** Events older than this many seconds are refused (400 `event_too_old`); unset: any age. */
export const MAX_EVENT_AGE_SECONDS = 'MAX_EVENT_AGE_SECONDS';

/** Every variable the verifier's environment may hold (besides NODE_OPTIONS and the metric namespace). */
export const VERIFIER_ENV_NAMES = [
  MAX_BODY_BYTES,
  MAX_INFLATED_BYTES,
  MAX_QUEUE_MESSAGE_BYTES,
  POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_LOG_LEVEL,
  ROUTES,
  STREAM_SECRET_ID,
  MAX_EVENT_AGE_SECONDS,
  ALLOWED_SOURCE_CIDRS,
  LARGE_EVENT_BUCKET,
] as const;

/** One consumer group as the verifier routes to it. */
export interface RouteSettings {
  readonly group: string;
  readonly patterns: readonly string[];
  readonly queueUrl: string;
  /** A FIFO queue (per-entity ordering) needs MessageGroupId and MessageDeduplicationId. */
  readonly fifo: boolean;
}

export interface VerifierSettings {
  /** Every consumer group, in table order. */
  readonly routes: readonly RouteSettings[];
  /** ARN or name of the Secrets Manager secret: where the secrets are, never the secrets. */
  readonly secretId: string;
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  readonly maxQueueMessageBytes: number;
  /** The bucket for events too large for a queue message; null: such an event is refused (413). */
  readonly largeEventBucket: string | null;
  /** Who may call (IPv4/IPv6 CIDRs); null: anyone (the signature still decides). */
  readonly allowedSourceCidrs: readonly string[] | null;
  /** Events older than this are refused; null: off. */
  readonly maxEventAgeSeconds: number | null;
}

export interface EnvWriterOptions {
  /**
   * Encodes a JSON value: CDK passes `Stack.of(this).toJsonString`, so deploy-time tokens (the
   * queue URLs) inside the value are completed by CloudFormation. @default JSON.stringify
   */
  readonly toJson?: (value: unknown) => string;
}

/** The verifier's variables for `settings`; an unset optional setting writes nothing. */
export function verifierEnv(
  settings: VerifierSettings,
  options: EnvWriterOptions = {},
): Record<string, string> {
  const toJson = options.toJson ?? JSON.stringify;
  return {
    [MAX_BODY_BYTES]: String(settings.maxBodyBytes),
    [MAX_INFLATED_BYTES]: String(settings.maxInflatedBytes),
    [MAX_QUEUE_MESSAGE_BYTES]: String(settings.maxQueueMessageBytes),
    ...powertoolsEnv(VERIFIER_SERVICE),
    [ROUTES]: toJson(settings.routes),
    [STREAM_SECRET_ID]: settings.secretId,
    ...(settings.maxEventAgeSeconds === null
      ? {}
      : { [MAX_EVENT_AGE_SECONDS]: String(settings.maxEventAgeSeconds) }),
    ...(settings.allowedSourceCidrs === null ? {} : sourceCidrsEnv(settings.allowedSourceCidrs)),
    ...(settings.largeEventBucket === null ? {} : largeEventBucketEnv(settings.largeEventBucket)),
  };
}

/** Read and checked once, at cold start; the limits fall back on their defaults when unset. */
export function readVerifierEnv(env: Env): VerifierSettings {
  return {
    routes: readRoutes(requiredString(env, ROUTES)),
    secretId: requiredString(env, STREAM_SECRET_ID),
    maxBodyBytes: positiveInteger(env, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
    maxInflatedBytes: positiveInteger(env, MAX_INFLATED_BYTES, DEFAULT_MAX_INFLATED_BYTES),
    maxQueueMessageBytes: positiveInteger(env, MAX_QUEUE_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES),
    largeEventBucket: readLargeEventBucket(env),
    allowedSourceCidrs: readSourceCidrs(env),
    maxEventAgeSeconds: optionalPositiveInteger(env, MAX_EVENT_AGE_SECONDS),
  };
}

/**
 * The routing table: a non-empty array of `{group, patterns, queueUrl, fifo}`, each group once,
 * with a valid name and valid patterns (an invalid pattern throws InvalidPattern), as the stack
 * checked them at synth.
 */
function readRoutes(json: string): RouteSettings[] {
  const parsed = parseJson(ROUTES, json);
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError(`${ROUTES} must be a non-empty JSON array of consumer groups`);
  }
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const route = entry as Partial<RouteSettings> | null;
    if (
      route === null ||
      typeof route.group !== 'string' ||
      typeof route.queueUrl !== 'string' ||
      route.queueUrl === '' ||
      typeof route.fifo !== 'boolean' ||
      !Array.isArray(route.patterns) ||
      route.patterns.length === 0 ||
      !route.patterns.every((p): p is string => typeof p === 'string')
    ) {
      throw new ConfigError(
        `${ROUTES}[${index}] must be {group, patterns: string[], queueUrl, fifo: boolean}`,
      );
    }
    try {
      assertValidGroupName(route.group);
    } catch (error) {
      throw new ConfigError(`${ROUTES}[${index}]: ${(error as Error).message}`);
    }
    // A group named twice is a slip in the table: each of its events would be sent twice.
    if (seen.has(route.group))
      throw new ConfigError(`${ROUTES} names group "${route.group}" twice`);
    seen.add(route.group);
    route.patterns.forEach(assertValidPattern);
    return {
      group: route.group,
      patterns: route.patterns,
      queueUrl: route.queueUrl,
      fifo: route.fifo,
    };
  });
}
