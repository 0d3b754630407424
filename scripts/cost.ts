/**
 * `npm run cost -- --events-per-month 100M`: the monthly AWS cost of each delivery path (webhook,
 * sqs, sns), line by line, from scripts/cost/aws-prices.json and the stack's own settings.
 */
import { processCommandIO } from '../cli/index.js';
import { costCommand } from './cost/command.js';
import { stackSettings } from './cost/stack-settings.js';

process.exitCode = await costCommand({ stackSettings: () => stackSettings() }).run(
  process.argv.slice(2),
  processCommandIO(process),
);
