import { SQSClient } from '@aws-sdk/client-sqs';
import { clientOptions } from './timeouts.js';

/** One per container. Kept apart from the other clients so a bundle holds only what it calls. */
export const sqsClient = new SQSClient(clientOptions);
