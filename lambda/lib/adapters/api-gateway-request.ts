import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DeliveryRequest } from '../domain/delivery.js';

/** The only place that knows the HTTP API payload v2 shape of a request. */
export function deliveryRequestFrom(event: APIGatewayProxyEventV2): DeliveryRequest {
  const raw = event.body ?? '';
  const headers: Record<string, string | undefined> = {};
  const given = event.headers ?? {};
  // Runs on every request: `for...in` spares the entry arrays `Object.entries` would allocate.
  for (const name in given) headers[name.toLowerCase()] = given[name];
  return {
    // The exact bytes are what Stream signed: decode, never re-serialize.
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
    headers,
    receivedAt: new Date(event.requestContext?.timeEpoch ?? Date.now()),
  };
}
