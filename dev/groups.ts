import { pathToFileURL } from 'node:url';
import {
  checkConsumerGroups,
  DEFAULT_CONSUMER_GROUPS,
  DEFAULT_HANDLER_ENTRY,
  type ConsumerGroupEntry,
} from '../contract/consumer-groups.js';
import { cdkJsonSettings } from '../contract/context.js';
import { entryPath, REPO_ROOT } from '../contract/entry-file.js';
import type { Ordering } from '../contract/env/consumer.js';
import type { HandlerMap } from '../lambda/lib/domain/handlers.js';
import { loadSyncHookRuntime, type SyncHookRuntime } from './sync-hook-runtime.js';

/** One consumer group as the dev pipeline runs it: its patterns and its handlers, loaded. */
export interface DevGroup {
  readonly name: string;
  /** The group's event patterns (`consumers[].events`): its routes and its consumer's filter. */
  readonly patterns: readonly string[];
  readonly handlers: HandlerMap;
}

/** The routing the stack would deploy, ready to run locally. */
export interface DevRouting {
  readonly groups: readonly DevGroup[];
  readonly ordering: Ordering;
  /** The hooks of `syncHooks.entry` when it names one; else the pipeline's default entry's. */
  readonly hookRuntime?: SyncHookRuntime;
}

export class DevGroupsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DevGroupsError';
  }
}

/** Imports a group's entry file (under tsx, a .ts path imports as it is) and takes `handlers`. */
async function importHandlers(group: ConsumerGroupEntry, repoRoot: string): Promise<HandlerMap> {
  const entry = group.entry ?? DEFAULT_HANDLER_ENTRY;
  const module = (await import(pathToFileURL(entryPath(entry, repoRoot)).href)) as {
    handlers?: unknown;
  };
  const handlers = module.handlers;
  if (typeof handlers !== 'object' || handlers === null) {
    throw new DevGroupsError(
      `consumer group "${group.name}": entry "${entry}" exports no \`handlers\` object ` +
        '(a group entry exports `handlers` and `handler = consumerHandler(handlers)`)',
    );
  }
  return handlers as HandlerMap;
}

/**
 * Checks a group table exactly as the stack does at synth (names, patterns, entry files), then
 * loads each group's handlers from its entry.
 */
export async function loadDevGroups(
  consumers: readonly ConsumerGroupEntry[],
  repoRoot: string = REPO_ROOT,
): Promise<DevGroup[]> {
  checkConsumerGroups(consumers, repoRoot);
  return Promise.all(
    consumers.map(async (group) => ({
      name: group.name,
      patterns: group.events,
      handlers: await importHandlers(group, repoRoot),
    })),
  );
}

/**
 * The group table, ordering and sync hooks entry the stack reads, from the same place: cdk.json's
 * `"context"` read as bin/app.ts reads it (contract/context.ts), else the stack's defaults (one
 * group `all` taking `*`, the hooks of lambda/handlers/sync-hooks.ts). Context given only on the
 * command line (`npx cdk deploy -c consumers=...`) is not seen here: put the table in cdk.json to
 * run it locally.
 */
export async function configuredRouting(repoRoot: string = REPO_ROOT): Promise<DevRouting> {
  const { settings } = cdkJsonSettings(repoRoot);
  const hooksEntry = settings.syncHooks?.entry;
  return {
    groups: await loadDevGroups(settings.consumers ?? DEFAULT_CONSUMER_GROUPS, repoRoot),
    ordering: settings.ordering ?? 'none',
    ...(hooksEntry === undefined
      ? {}
      : { hookRuntime: await loadSyncHookRuntime(hooksEntry, repoRoot) }),
  };
}
