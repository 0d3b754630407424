import { EXIT_OK, defineCommand, writeJson, type Command } from '../../cli/command.js';
import { MAX_EVENT_KB, parseCostArgs } from './args.js';
import type { StackSettings } from './model.js';
import { loadPriceBook, type PriceBook } from './prices.js';
import { costReport, defaultAssumptions, formatReport } from './report.js';

export const COST_HELP = `Usage: npm run cost -- --events-per-month <n> [options]

Prints what a month of Stream events costs on each delivery path (webhook, sqs, sns): every
line item, the total, and the assumptions, from the list prices in scripts/cost/aws-prices.json
and the memory and batch sizes of the stack as cdk.json configures it.

  --events-per-month <n>  events Stream delivers a month: 1000000, 1e6, 1M, 100M, 1B (required)
  --event-kb <kb>         average event size as Stream sends it (default 2; at most ${MAX_EVENT_KB})
  --batch-size <n>        consumer batch size (default: the stack's)
  --verifier-ms <ms>      verifier run time per delivery (default 20)
  --consumer-ms <ms>      consumer run time per event (default 15)
  --json                  one JSON document instead of the table

Exit 0 on success, 2 on a usage error.`;

export interface CostDeps {
  /** The stack's settings; the real one synthesizes the stack (stack-settings.ts). */
  readonly stackSettings: () => StackSettings | Promise<StackSettings>;
  readonly priceBook?: () => PriceBook;
}

export function costCommand(deps: CostDeps): Command {
  return defineCommand({
    name: 'cost',
    summary: 'monthly AWS cost of each delivery path',
    help: COST_HELP,
    async run(argv, io) {
      const args = parseCostArgs(argv);
      const stack = await deps.stackSettings();
      const book = (deps.priceBook ?? loadPriceBook)();
      const defaults = defaultAssumptions(args.eventsPerMonth);
      const report = costReport(
        { ...stack, batchSize: args.batchSize ?? stack.batchSize },
        {
          ...defaults,
          eventKb: args.eventKb ?? defaults.eventKb,
          verifierMsPerEvent: args.verifierMs ?? defaults.verifierMsPerEvent,
          consumerMsPerEvent: args.consumerMs ?? defaults.consumerMsPerEvent,
        },
        book,
      );
      if (args.json) writeJson(io, report);
      else io.stdout.write(formatReport(report));
      return EXIT_OK;
    },
  });
}
