/**
 * The structured logger the domain and the user's handlers write to. Only its type lives here:
 * adapters/logger.ts makes the Powertools logger the Lambdas and `npm run dev` pass in.
 */
export type { Logger } from '@aws-lambda-powertools/logger';
