import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DeliveryRequest } from './delivery.js';

/** The only place that knows the HTTP API payload v2 shape of a request. */
export function deliveryRequestFrom(event: APIGatewayProxyEventV2): DeliveryRequest {
  const raw = event.body ?? '';
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  return {
    // The exact bytes are what Stream signed: decode, never re-serialize.
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
    headers,
    receivedAt: new Date(event.requestContext?.timeEpoch ?? Date.now()),
  };
}
