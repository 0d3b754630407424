import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deliveryRequestFrom } from '../lib/api-gateway-request.js';
import { acceptDelivery, webhookIdOf, type DeliveryDeps } from '../lib/delivery.js';
import { DeliveryRejected } from '../lib/errors.js';
import { acceptedResponse, rejectedResponse } from '../lib/http-response.js';
import type { Logger } from '../lib/logger.js';
import { countOne } from '../lib/metrics.js';

export interface VerifierDeps extends DeliveryDeps {
  readonly logger: Logger;
}

export type VerifierHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The verifier without its AWS wiring, so `npm run dev` and the tests run the very same code
 * with a local queue and fixed credentials.
 */
export function createVerifierHandler(deps: VerifierDeps): VerifierHandler {
  return async (event) => {
    const request = deliveryRequestFrom(event);
    const webhookId = webhookIdOf(request.headers);
    try {
      const delivery = await acceptDelivery(request, deps);
      if (delivery.groups.length === 0) {
        // Acknowledged: no group wants it, and a retry would not change that.
        deps.logger.info('event unrouted', {
          type: delivery.eventType,
          webhook_id: webhookId,
          ...countOne('EventsUnrouted', ['service']),
        });
      } else {
        deps.logger.debug('webhook queued', {
          type: delivery.eventType,
          webhook_id: webhookId,
          groups: delivery.groups,
        });
      }
      return acceptedResponse();
    } catch (error) {
      const rejection =
        error instanceof DeliveryRejected
          ? error
          : new DeliveryRejected(500, 'internal_error', 'unexpected error');
      const log = rejection.status >= 500 ? deps.logger.error : deps.logger.warn;
      log.call(deps.logger, 'webhook rejected', {
        status: rejection.status,
        reason: rejection.reason,
        detail: rejection.message,
        webhook_id: webhookId,
        ...(error instanceof DeliveryRejected ? {} : { error_name: errorName(error) }),
      });
      return rejectedResponse(rejection);
    }
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
