import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appConfigFromContext } from '../lib/app-context.js';
import {
  checkConsumerGroups,
  DEFAULT_CONSUMER_GROUPS,
  entryPath,
  type ConsumerGroupProps,
} from '../lib/consumer-groups.js';
import { DEFAULT_HANDLER_ENTRY } from '../lib/event-consumer.js';
import { REPO_ROOT } from '../lib/node-function.js';
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

/** cdk.json's `"context"` object, or `{}` when there is no cdk.json or it has no context. */
export async function cdkJsonContext(
  repoRoot: string = REPO_ROOT,
): Promise<Record<string, unknown>> {
  const path = join(repoRoot, 'cdk.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DevGroupsError(`${path} is not valid JSON`, { cause: error });
  }
  const context = (parsed as { context?: unknown } | null)?.context;
  if (context === undefined) return {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new DevGroupsError(`${path}: "context" must be an object`);
  }
  return context as Record<string, unknown>;
}

/** Imports a group's entry file (under tsx, a .ts path imports as it is) and takes `handlers`. */
async function importHandlers(group: ConsumerGroupProps, repoRoot: string): Promise<HandlerMap> {
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
  consumers: readonly ConsumerGroupProps[],
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
 * `"context"` through lib/app-context.ts, else the stack's defaults (one group `all` taking `*`,
 * the hooks of lambda/handlers/sync-hooks.ts). Context given only on the command line
 * (`npx cdk deploy -c consumers=...`) is not seen here: put the table in cdk.json to run it locally.
 */
export async function configuredRouting(repoRoot: string = REPO_ROOT): Promise<DevRouting> {
  const context = await cdkJsonContext(repoRoot);
  const { props } = appConfigFromContext((key) => context[key]);
  const hooksEntry = props.syncHooks?.entry;
  return {
    groups: await loadDevGroups(props.consumers ?? DEFAULT_CONSUMER_GROUPS, repoRoot),
    ordering: props.ordering ?? 'none',
    ...(hooksEntry === undefined
      ? {}
      : { hookRuntime: await loadSyncHookRuntime(hooksEntry, repoRoot) }),
  };
}
