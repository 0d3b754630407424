import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientOptions } from './timeouts.js';

/** One per container. Kept apart from the other clients so a bundle holds only what it calls. */
export const dynamoDbClient = new DynamoDBClient(clientOptions);
