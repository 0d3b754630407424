import { App } from 'aws-cdk-lib';
import { appConfigFromContext } from '../lib/app-context.js';
import { StreamEventsStack } from '../lib/stream-events-stack.js';

const app = new App();

// Configuration is CDK context: cdk.json's "context", or `npx cdk deploy -c key=value`, e.g.
//   -c secret=<name or ARN> -c stackName=<name> -c paths='{"sns":false}' -c ordering=per-entity
//   -c consumers='[{"name":"messages","events":["message.*"],"entry":"lambda/handlers/messages.ts"}]'
//   -c throttle='{"rateLimit":500,"burstLimit":1000}' -c sourceIpAllowlist=true
// See lib/app-context.ts for every key; other props (limits, dedupeWindow) are set by passing
// them here.
const { stackName, props } = appConfigFromContext((key) => app.node.tryGetContext(key));

new StreamEventsStack(app, stackName, props);
