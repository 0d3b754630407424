import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DeliveryRejected } from '../domain/errors.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

export function acceptedResponse(): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: JSON_HEADERS, body: '{"ok":true}' };
}

/** The status and a one-line reason: enough for whoever reads Stream's webhook logs, nothing more. */
export function rejectedResponse(rejection: DeliveryRejected): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: rejection.status,
    headers: JSON_HEADERS,
    body: JSON.stringify({ error: rejection.reason, message: rejection.message }),
  };
}
