import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deliveryRequestFrom } from '../lib/adapters/api-gateway-request.js';
import { acceptDelivery, webhookIdOf, type DeliveryDeps } from '../lib/domain/delivery.js';
import { DeliveryRejected } from '../lib/domain/errors.js';
import { acceptedResponse, rejectedResponse } from '../lib/adapters/http-response.js';
import { debugEnabled, type Logger } from '../lib/adapters/logger.js';
import { assertSourceAllowed, type SourceAllowed } from '../lib/domain/source-ip.js';
import { silentMetrics, type MetricsSink } from '../lib/domain/metrics.js';
import { familyOf } from '../lib/domain/product-family.js';

export interface VerifierDeps extends DeliveryDeps {
  readonly logger: Logger;
  /** The source-IP allowlist, checked before anything else. @default - none: any source */
  readonly sourceAllowed?: SourceAllowed;
  /** Where EventsReceived/Rejected/Enqueued/Unrouted are counted. @default silentMetrics */
  readonly metrics?: MetricsSink;
}

export type VerifierHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The verifier without its AWS wiring, so `npm run dev` and the tests run the very same code
 * with a local queue and fixed credentials.
 */
export function createVerifierHandler(deps: VerifierDeps): VerifierHandler {
  const metrics = deps.metrics ?? silentMetrics;
  const handle: VerifierHandler = async (event) => {
    const request = deliveryRequestFrom(event);
    const webhookId = webhookIdOf(request.headers);
    try {
      assertSourceAllowed(event.requestContext.http.sourceIp, deps.sourceAllowed);
      const delivery = await acceptDelivery(request, deps);
      const family = familyOf(delivery.eventType);
      for (const group of delivery.groups) metrics.count('EventsEnqueued', { group, family });
      if (delivery.groups.length === 0) {
        metrics.count('EventsUnrouted', { family });
        // Acknowledged: no group wants it, and a retry would not change that.
        deps.logger.info('event unrouted', {
          type: delivery.eventType,
          webhook_id: webhookId,
        });
      } else if (debugEnabled(deps.logger)) {
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
      metrics.count('EventsRejected', { reason: rejection.reason });
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
  return async (event) => {
    metrics.count('EventsReceived');
    try {
      return await handle(event);
    } finally {
      // Once per invocation, whatever happened in it.
      metrics.flush();
    }
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
