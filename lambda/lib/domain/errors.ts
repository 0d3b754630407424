/**
 * Why a delivery was refused. Each maps to one HTTP status at the edge (see http-response.ts),
 * and its `reason` is the one-word cause that goes into the rejection's log line.
 */
export type RejectionReason =
  | 'body_too_large'
  | 'inflated_too_large'
  | 'bad_gzip'
  | 'source_ip_not_allowed'
  | 'missing_api_key'
  | 'unknown_api_key'
  | 'missing_signature'
  | 'bad_signature'
  | 'bad_json'
  | 'not_an_object'
  | 'missing_type'
  | 'event_too_old'
  | 'missing_message'
  | 'missing_command'
  | 'queue_message_too_large'
  | 'secret_unavailable'
  | 'secret_not_configured'
  | 'enqueue_failed'
  | 'storage_failed'
  | 'internal_error';

/** A delivery we refuse; `status` is what Stream is answered. */
export class DeliveryRejected extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 413 | 500 | 503,
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryRejected';
  }
}

/** A queue message we cannot turn back into an event (bad base64, corrupt gzip, not JSON, ...). */
export class UndecodableMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableMessage';
  }
}

/**
 * Another invocation holds the claim on this event and has not finished (nor run out of time):
 * the record fails so SQS hands it out again later, when that run has either completed (then it
 * is a duplicate) or released the claim (then it runs).
 */
export class ClaimInProgress extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClaimInProgress';
  }
}

/** The claim could not be taken, completed or released (the idempotency table is unreachable...). */
export class ClaimFailed extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClaimFailed';
  }
}
