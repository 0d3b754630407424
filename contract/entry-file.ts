/**
 * User code files the stack bundles as Lambda entries (a consumer group's `entry`, the sync
 * hooks' `syncHooks.entry`): where a relative one starts, and the check the synth and
 * `npm run dev` both make before using one.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: where a relative entry starts. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The sync hooks' entry unless `syncHooks.entry` names another: the shipped examples. */
export const DEFAULT_SYNC_HOOKS_ENTRY = 'lambda/handlers/sync-hooks.ts';

/** The entry's absolute path: relative entries start at the repository root. */
export function entryPath(entry: string, repoRoot: string = REPO_ROOT): string {
  return isAbsolute(entry) ? entry : join(repoRoot, entry);
}

/** Why `entry` cannot be bundled, or null when it names a file. */
export function entryFileProblem(entry: string, repoRoot: string = REPO_ROOT): string | null {
  if (entry.trim() === '') return 'entry must name a handler file, or be left out';
  const path = entryPath(entry, repoRoot);
  if (!existsSync(path) || !statSync(path).isFile()) {
    return (
      `entry "${entry}" is not a file (looked for ${path}; a relative entry starts at the ` +
      'repository root)'
    );
  }
  return null;
}
