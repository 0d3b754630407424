/**
 * The sizes AWS allows and the caps derived from them: what the stack configures, the functions
 * enforce, and the dev pipeline, the CLI and bench reproduce. Written here once, CDK-free and
 * SDK-free, so every part imports the number instead of copying it.
 */

/** One mebibyte, in bytes. */
export const MIB = 1024 * 1024;

/**
 * Lambda's synchronous invocation payload limit, 6 MB (6 MiB), for the request as for the
 * response. What API Gateway hands a function (the whole event: body, headers, request context)
 * and what an SQS event source puts in one batch must fit it.
 */
export const LAMBDA_INVOKE_PAYLOAD_BYTES = 6 * MIB;

/** SQS's largest message: body plus message attributes. The stack sets every queue to this. */
export const SQS_MAX_MESSAGE_BYTES = MIB;

/**
 * What an HTTP API (payload 2.0) event holds besides the body, with room to spare: API Gateway
 * takes at most 10 KiB of request line and headers, and the event carries them up to three times
 * (`headers`, `rawQueryString` and `queryStringParameters`, `requestContext.http.userAgent`),
 * JSON-escaped, plus about 1 KiB of request context.
 */
const EVENT_ENVELOPE_BYTES = 64 * 1024;

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

/** The webhook and hook body cap unless configured (`maxBodyBytes`): everything that can arrive. */
export const DEFAULT_MAX_BODY_BYTES = LARGEST_ARRIVING_BODY_BYTES;

/**
 * The size past which a gzip body or queue message is not inflated (`maxInflatedBytes`): a small
 * gzip body can expand without bound.
 */
export const DEFAULT_MAX_INFLATED_BYTES = 16 * MIB;
