/**
 * The last steps every `configure` path shares: say when nothing changes, stop after a dry run,
 * ask on a terminal (or require `--yes`), then send and say so.
 */
import { CommandError, EXIT_FAILURE, EXIT_OK, type CommandIO } from './command.js';

export interface ApplyOptions {
  readonly 'dry-run'?: boolean;
  readonly yes?: boolean;
}

export interface PlannedChange {
  readonly changed: boolean;
  /** Said when nothing changes. */
  readonly unchanged: string;
  /** Asked on a terminal without `--yes`. */
  readonly question: string;
  /** Sends the change; resolves with the line that says what was applied. */
  send(): Promise<string>;
  /** Writes the `--json` document, if asked for. */
  report(applied: boolean): void;
}

export async function confirmAndApply(
  change: PlannedChange,
  options: ApplyOptions,
  io: CommandIO,
  say: (line: string) => void,
): Promise<number> {
  if (!change.changed) {
    say(change.unchanged);
    change.report(false);
    return EXIT_OK;
  }
  if (options['dry-run']) {
    say('Dry run: nothing sent.');
    change.report(false);
    return EXIT_OK;
  }
  if (!options.yes) {
    if (!io.interactive) {
      throw new CommandError(
        'not applied: no terminal to confirm on; re-run with --yes to apply (or --dry-run to only look)',
      );
    }
    if (!(await io.confirm(change.question))) {
      say('Not applied.');
      change.report(false);
      return EXIT_FAILURE;
    }
  }
  say(await change.send());
  change.report(true);
  return EXIT_OK;
}
