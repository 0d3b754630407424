import { CredentialsInvalid, type Credentials } from './api-key-secrets.js';
import { DeliveryRejected } from './errors.js';
import { rejectIfTooOld } from './event-age.js';
import { InflatedTooLarge, inflateIfGzip } from './gzip.js';
import { signatureMatches } from './signature.js';
import { parseAttempt } from './message-attributes.js';
import {
  eventOrReject,
  parseObjectOrReject,
  type JsonObject,
  type StreamEvent,
} from './stream-event.js';

/** One webhook delivery as Stream sent it, independent of how it reached us. */
export interface DeliveryRequest {
  readonly body: Buffer;
  /** Header names in lower case; a repeated header's values joined by commas (as API Gateway does). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly receivedAt: Date;
}

/** What the pipeline knows about a delivery besides the event itself. */
export interface DeliveryMeta {
  readonly webhookId: string | null;
  readonly attempt: number | null;
  readonly eventType: string;
  readonly receivedAt: Date;
}

export interface AcceptedDelivery extends DeliveryMeta {
  /** The exact bytes Stream signed: never re-serialized. */
  readonly eventBytes: Buffer;
  readonly event: StreamEvent;
}

export interface CredentialSource {
  current(): Promise<Credentials>;
  /**
   * Reloads after a mismatch (the secret may have been rotated); null when it is too soon to.
   * Rejects while the secret cannot be read, so the mismatch is answered as retryable.
   */
  refresh(): Promise<Credentials | null>;
}

/** Where a delivery was queued: the consumer groups whose patterns match its type, maybe none. */
export interface Enqueued {
  readonly groups: readonly string[];
}

/**
 * Puts the delivery on the queue of every consumer group that takes its type; resolves only once
 * SQS has stored it on each of them.
 */
export type Enqueue = (delivery: AcceptedDelivery) => Promise<Enqueued>;

export interface QueuedDelivery extends AcceptedDelivery, Enqueued {}

export interface DeliveryLimits {
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
}

/** What verifying a request needs: the same for the webhook and the synchronous hooks. */
export interface VerifyDeps {
  readonly credentials: CredentialSource;
  readonly limits: DeliveryLimits;
}

export interface DeliveryDeps extends VerifyDeps {
  readonly enqueue: Enqueue;
  /** Refuse events whose `created_at` is older than this (event-age.ts). @default null - off */
  readonly maxEventAgeSeconds?: number | null;
}

/** A request that passed size, gzip, auth and is a JSON object; nothing about its shape beyond. */
export interface VerifiedDelivery {
  /** The exact bytes Stream signed (inflated when they came gzipped): never re-serialized. */
  readonly bytes: Buffer;
  readonly json: JsonObject;
  readonly webhookId: string | null;
  readonly attempt: number | null;
  readonly receivedAt: Date;
}

export function webhookIdOf(headers: DeliveryRequest['headers']): string | null {
  const id = headers['x-webhook-id']?.trim();
  return id ? id : null;
}

function inflate(body: Buffer, maxInflatedBytes: number): Buffer {
  try {
    return inflateIfGzip(body, maxInflatedBytes);
  } catch (error) {
    if (error instanceof InflatedTooLarge) {
      throw new DeliveryRejected(413, 'inflated_too_large', error.message);
    }
    // Its only other refusal is CorruptGzip.
    throw new DeliveryRejected(400, 'bad_gzip', (error as Error).message);
  }
}

async function loadCredentials<T extends Credentials | null>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof CredentialsInvalid) {
      throw new DeliveryRejected(500, 'secret_not_configured', error.message);
    }
    throw new DeliveryRejected(503, 'secret_unavailable', 'could not read the Stream secret');
  }
}

const notConfigured = (): DeliveryRejected =>
  new DeliveryRejected(500, 'secret_not_configured', 'the Stream secret holds no API key yet');

function checkAuth(
  credentials: Credentials,
  apiKey: string,
  signature: string,
  bytes: Buffer,
): DeliveryRejected | null {
  if (credentials.size === 0) return notConfigured();
  const secrets = credentials.get(apiKey);
  if (secrets === undefined) {
    return new DeliveryRejected(401, 'unknown_api_key', 'X-Api-Key is not a configured key');
  }
  return signatureMatches(bytes, signature, secrets)
    ? null
    : new DeliveryRejected(401, 'bad_signature', 'X-Signature does not match the body');
}

async function authenticate(
  headers: DeliveryRequest['headers'],
  bytes: Buffer,
  source: CredentialSource,
): Promise<void> {
  const apiKey = headers['x-api-key'];
  if (!apiKey) throw new DeliveryRejected(401, 'missing_api_key', 'no X-Api-Key header');
  const signature = headers['x-signature'];
  if (!signature) throw new DeliveryRejected(401, 'missing_signature', 'no X-Signature header');

  const failure = checkAuth(
    await loadCredentials(() => source.current()),
    apiKey,
    signature,
    bytes,
  );
  if (failure === null) return;
  // The secret may have been set or rotated since we cached it: look again (rate-limited by the
  // source). While it cannot be read, loadCredentials answers 503, never this 401.
  const fresh = await loadCredentials(() => source.refresh());
  if (fresh === null) throw failure;
  const freshFailure = checkAuth(fresh, apiKey, signature, bytes);
  if (freshFailure !== null) throw freshFailure;
}

/**
 * Checks one request from Stream in the order the contract fixes: size, gzip, auth, JSON object.
 * Every path Stream calls (the webhook, the synchronous hooks) goes through here; every refusal
 * is a `DeliveryRejected` carrying the status Stream should get.
 */
export async function verifyDelivery(
  request: DeliveryRequest,
  deps: VerifyDeps,
): Promise<VerifiedDelivery> {
  if (request.body.length > deps.limits.maxBodyBytes) {
    throw new DeliveryRejected(
      413,
      'body_too_large',
      `body is ${request.body.length} bytes, over ${deps.limits.maxBodyBytes}`,
    );
  }
  const bytes = inflate(request.body, deps.limits.maxInflatedBytes);
  await authenticate(request.headers, bytes, deps.credentials);
  return {
    bytes,
    json: parseObjectOrReject(bytes),
    webhookId: webhookIdOf(request.headers),
    attempt: parseAttempt(request.headers['x-webhook-attempt']),
    receivedAt: request.receivedAt,
  };
}

/**
 * Decides what to do with one webhook delivery: `verifyDelivery`, then the event shape (a string
 * `type`) and, when `maxEventAgeSeconds` is set, its age, then enqueue. Resolves only once the
 * event is on every queue it goes to (an event no group takes goes to none, and is still
 * accepted); every refusal is a `DeliveryRejected` carrying the status Stream should get.
 */
export async function acceptDelivery(
  request: DeliveryRequest,
  deps: DeliveryDeps,
): Promise<QueuedDelivery> {
  const verified = await verifyDelivery(request, deps);
  const event = eventOrReject(verified.json);
  rejectIfTooOld(event, verified.receivedAt, deps.maxEventAgeSeconds ?? null);
  const delivery: AcceptedDelivery = {
    eventBytes: verified.bytes,
    event,
    eventType: event.type,
    webhookId: verified.webhookId,
    attempt: verified.attempt,
    receivedAt: verified.receivedAt,
  };
  const { groups } = await deps.enqueue(delivery);
  return { ...delivery, groups };
}
