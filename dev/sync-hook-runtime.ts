import { pathToFileURL } from 'node:url';
import { DEFAULT_SYNC_HOOK_BUDGET_MS } from '../contract/defaults.js';
import {
  DEFAULT_SYNC_HOOKS_ENTRY,
  entryFileProblem,
  entryPath,
  REPO_ROOT,
} from '../contract/entry-file.js';
import type { SyncHooks } from '../lambda/lib/domain/sync-hooks.js';

export { DEFAULT_SYNC_HOOK_BUDGET_MS };

/** The user's sync hooks `npm run dev` serves behind `/hooks/...`. */
export interface SyncHookRuntime {
  readonly hooks: SyncHooks;
}

export class DevHooksError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DevHooksError';
  }
}

/**
 * Imports the sync hooks' entry (under tsx, a .ts path imports as it is) and takes its `hooks`,
 * after the check the synth makes: the file must exist. The stack bundles the same file as the
 * hook function's entry, so dev serves what would be deployed.
 */
export async function loadSyncHookRuntime(
  entry: string = DEFAULT_SYNC_HOOKS_ENTRY,
  repoRoot: string = REPO_ROOT,
): Promise<SyncHookRuntime> {
  const problem = entryFileProblem(entry, repoRoot);
  if (problem !== null) throw new DevHooksError(`syncHooks: ${problem}`);
  const module = (await import(pathToFileURL(entryPath(entry, repoRoot)).href)) as {
    hooks?: unknown;
  };
  if (typeof module.hooks !== 'object' || module.hooks === null) {
    throw new DevHooksError(
      `syncHooks: entry "${entry}" exports no \`hooks\` object ` +
        '(a sync hooks entry exports `hooks` and `handler = syncHooksHandler(hooks)`)',
    );
  }
  return { hooks: module.hooks as SyncHooks };
}
