import { App } from 'aws-cdk-lib';
import { StreamEventsStack } from '../lib/stream-events-stack.js';

const app = new App();

// `npx cdk deploy -c secret=<name or ARN> -c stackName=<name>`
const existingSecret = optionalString(app.node.tryGetContext('secret'), 'secret');
const stackName =
  optionalString(app.node.tryGetContext('stackName'), 'stackName') ?? 'StreamEvents';

new StreamEventsStack(app, stackName, { existingSecret });

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new Error(`context "${name}" must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}
