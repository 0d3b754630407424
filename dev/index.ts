/**
 * `npm run dev`: the whole pipeline on this machine, no AWS account, running every consumer
 * group the stack would deploy (cdk.json's `consumers` context, else the default group `all`).
 * stdout carries only JSON lines: the ready line below, then the logs of the verifier, the
 * consumers and their handlers.
 */
import { createLogger } from '../lambda/lib/adapters/logger.js';
import { devConfigFrom } from './config.js';
import { configuredRouting } from './groups.js';
import { startDevPipeline } from './pipeline.js';
import { readyMessage } from './ready-message.js';

const logger = createLogger('stream-events-dev');
const printJson = (line: Record<string, unknown>, then?: () => void): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`, then);
};

try {
  const config = devConfigFrom(process.env);
  const routing = await configuredRouting();
  const pipeline = await startDevPipeline({ ...config.options, ...routing });
  printJson(readyMessage(pipeline, { ...config.options, secretFromEnv: config.secretFromEnv }));

  const shutdown = (signal: NodeJS.Signals): void => {
    printJson({ msg: 'dev pipeline stopping', signal });
    pipeline.stop().then(
      () => printJson({ msg: 'dev pipeline stopped' }, () => process.exit(0)),
      (error: unknown) => {
        logger.error('dev pipeline did not stop cleanly', { error: error as Error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  logger.error('dev pipeline failed to start', { error: error as Error });
  process.exitCode = 1;
}
