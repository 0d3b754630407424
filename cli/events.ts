/**
 * `stream-events events`: the event catalog (every type the installed Stream SDK declares, by
 * product family) and the consumer group(s) each type reaches, read from the same group table the
 * stack deploys (cdk.json's context) with the same matching the verifier routes by (`routesFor`).
 */
import { EVENT_CATALOG, type ProductFamily } from '../lambda/lib/domain/event-catalog.js';
import { assertValidPattern } from '../contract/patterns.js';
import { routesFor } from '../lambda/lib/domain/routing-table.js';
import { assertValidGroupName, DEFAULT_GROUP_NAME } from '../contract/names.js';
import { patternsMatchingNothing } from '../lib/routing/expand-patterns.js';
import {
  CommandError,
  EXIT_OK,
  defineCommand,
  parseOptions,
  wantsJson,
  writeJson,
  type Command,
} from './command.js';
import { loadGroupTable, type TableGroup } from './group-queues.js';
import { formatTable } from './progress.js';
import { commandInfo } from './command-list.js';

const HELP = `Usage: stream-events events [--group <group>] [--json]

The event catalog: every event type of the installed @stream-io/node-sdk, by product family,
and the consumer group(s) that receive each type. The groups are the table the stack deploys:
cdk.json's context "consumers" (without one, a single group "${DEFAULT_GROUP_NAME}" taking every event "*").
An event goes to every group with a matching pattern: an exact type, "prefix.*" or "*".

Options:
  --group <group>   only the types this group receives
  --json            one JSON document on stdout: {groups: [{name, patterns}], events: [{family,
                    type, groups}], unmatchedPatterns: [{group, pattern}]}
  --help            this text

A type no group takes is acknowledged and dropped by the pipeline (and left out of the Stream
hooks' event_types). A pattern that matches no catalog type is listed too: a typo, or a custom
event type, which still routes when it arrives.`;

export interface CatalogRow {
  readonly family: ProductFamily;
  readonly type: string;
  /** The groups that receive the type, in table order; empty when none does. */
  readonly groups: readonly string[];
}

export interface EventsReport {
  readonly groups: readonly TableGroup[];
  readonly events: readonly CatalogRow[];
  readonly unmatchedPatterns: readonly { readonly group: string; readonly pattern: string }[];
}

export interface EventsDeps {
  /** Where cdk.json is. @default the repository root */
  readonly repoRoot?: string;
}

/** Checks what routing needs (names, patterns), so a table mistake is named, not mis-routed. */
function checkTable(groups: readonly TableGroup[]): void {
  if (groups.length === 0) {
    throw new CommandError('cdk.json: context "consumers" lists no consumer group');
  }
  for (const group of groups) {
    try {
      assertValidGroupName(group.name);
      group.patterns.forEach(assertValidPattern);
    } catch (error) {
      throw new CommandError(
        `cdk.json: consumer group "${group.name}": ${(error as Error).message}`,
      );
    }
  }
}

/** Every catalog type with the groups whose patterns take it. */
export function catalogRoutes(groups: readonly TableGroup[]): EventsReport {
  const routes = groups.map((group) => ({ name: group.name, patterns: group.patterns }));
  const events = (Object.keys(EVENT_CATALOG) as ProductFamily[]).flatMap((family) =>
    EVENT_CATALOG[family].map((type): CatalogRow => ({
      family,
      type,
      groups: routesFor(type, routes).map((route) => route.name),
    })),
  );
  const unmatchedPatterns = groups.flatMap((group) =>
    patternsMatchingNothing(group.patterns).map((pattern) => ({ group: group.name, pattern })),
  );
  return { groups, events, unmatchedPatterns };
}

function formatEvents(report: EventsReport, only: string | undefined): string {
  const lines: string[] = [];
  lines.push('Consumer groups (cdk.json):');
  for (const group of report.groups) lines.push(`  ${group.name}: ${group.patterns.join(', ')}`);
  lines.push('');
  lines.push(
    formatTable(
      ['FAMILY', 'TYPE', 'GROUPS'],
      report.events.map((row) => [
        row.family,
        row.type,
        row.groups.length > 0 ? row.groups.join(', ') : '-',
      ]),
    ),
  );
  lines.push('');
  const unrouted = report.events.filter((row) => row.groups.length === 0).length;
  lines.push(
    only === undefined
      ? `${report.events.length} event types` +
          (unrouted > 0 ? `; ${unrouted} reach no group (acknowledged and dropped)` : '')
      : `group "${only}" receives ${report.events.length} event types`,
  );
  for (const { group, pattern } of report.unmatchedPatterns) {
    lines.push(
      `note: group "${group}": "${pattern}" matches no catalog type (a typo, or a custom type)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function createEventsCommand(deps: EventsDeps = {}): Command {
  return defineCommand({
    ...commandInfo('events'),
    help: HELP,
    async run(argv, io) {
      const json = wantsJson(argv);
      const values = parseOptions(argv, {
        group: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      });
      const table = await loadGroupTable(deps.repoRoot);
      checkTable(table.groups);
      let report = catalogRoutes(table.groups);
      const only = values.group;
      if (only !== undefined) {
        if (!table.groups.some((group) => group.name === only)) {
          throw new CommandError(
            `no consumer group "${only}" in cdk.json; groups: ` +
              table.groups.map((group) => group.name).join(', '),
          );
        }
        report = {
          groups: report.groups.filter((group) => group.name === only),
          events: report.events.filter((row) => row.groups.includes(only)),
          unmatchedPatterns: report.unmatchedPatterns.filter((entry) => entry.group === only),
        };
      }
      if (json) writeJson(io, report);
      else io.stdout.write(formatEvents(report, only));
      return EXIT_OK;
    },
  });
}

export const eventsCommand = createEventsCommand();
