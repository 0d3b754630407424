import { hooks } from '../lambda/handlers/hooks.js';
import {
  createHookHandler,
  type HookHandler,
  type HookHandlerDeps,
} from '../lambda/hooks/handler.js';
import { DEFAULT_HOOK_BUDGET_MS } from '../contract/defaults.js';
import type { SyncHooks } from '../lambda/lib/domain/sync-hooks.js';

export { DEFAULT_HOOK_BUDGET_MS };

/** The hook Lambda's factory and the user's code it runs: what serves `/hooks/...` in dev. */
export interface HookRuntime {
  readonly createHookHandler: (deps: HookHandlerDeps) => HookHandler;
  readonly hooks: SyncHooks;
}

/** lambda/hooks/index.ts's pieces: the very handler and hooks the stack deploys. */
export const DEFAULT_HOOK_RUNTIME: HookRuntime = { createHookHandler, hooks };
