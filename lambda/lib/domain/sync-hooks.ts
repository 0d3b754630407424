/**
 * Stream's synchronous hooks (README, "Synchronous hooks"): what the user's code gets and
 * returns, and how a return value becomes the body Stream reads. Pure: no AWS, no HTTP.
 *
 * Response shapes, from https://getstream.io/chat/docs/react/before_message_send_webhook/ and
 * https://getstream.io/chat/docs/custom_commands_webhook/ : HTTP 200 always; a body without
 * `message` leaves the message unchanged (Stream expects a message only "if you intend to make
 * any change"), `{"message":{...}}` rewrites the fields it holds, `{"message":{"type":"error",
 * "text":...}}` rejects with that text, and (commands only) `{"message":null}` drops the message.
 */
import type { Logger } from './logger.js';

/** A Stream chat message as the hooks send it; unknown fields are kept as they are. */
export interface SyncHookMessage {
  readonly id?: string;
  readonly text?: string;
  readonly type?: string;
  readonly command?: string;
  readonly args?: string;
  readonly attachments?: readonly SyncHookAttachment[];
  readonly [field: string]: unknown;
}

export interface SyncHookUser {
  readonly id: string;
  readonly role?: string;
  readonly [field: string]: unknown;
}

export interface SyncHookChannel {
  readonly cid?: string;
  readonly id?: string;
  readonly type?: string;
  readonly [field: string]: unknown;
}

/** Who made the request: `type` is `client` or `server`, plus ip, user agent, sdk, `ext`. */
export interface RequestInfo {
  readonly type?: string;
  readonly ip?: string;
  readonly user_agent?: string;
  readonly sdk?: string;
  readonly ext?: string;
  readonly [field: string]: unknown;
}

/** A button in a command's interactive message; pressing it calls the command again with `form_data`. */
export interface SyncHookAction {
  readonly name: string;
  readonly text: string;
  readonly type: 'button' | 'select';
  readonly value: string;
  readonly style?: 'primary' | 'default';
}

export interface SyncHookAttachment {
  readonly type?: string;
  readonly title?: string;
  readonly text?: string;
  readonly actions?: readonly SyncHookAction[];
  readonly [field: string]: unknown;
}

/** The message fields a hook may set (text, i18n, attachments, show_in_channel, silent, type, custom). */
export interface MessageChanges {
  readonly text?: string;
  readonly type?: string;
  readonly attachments?: readonly SyncHookAttachment[];
  readonly show_in_channel?: boolean;
  readonly silent?: boolean;
  readonly i18n?: Readonly<Record<string, string>>;
  readonly [customField: string]: unknown;
}

export interface BeforeMessageSendInput {
  readonly message: SyncHookMessage;
  readonly user?: SyncHookUser;
  readonly channel?: SyncHookChannel;
  readonly request_info?: RequestInfo;
}

export type BeforeMessageSendResult =
  | { readonly action: 'pass' }
  | { readonly action: 'rewrite'; readonly message: MessageChanges }
  | { readonly action: 'reject'; readonly text: string };

export interface CustomCommandInput {
  /** The command's name, without the slash: `message.command`, else the URL's `?type=`. */
  readonly command: string;
  /** What follows the command in the text (`/ticket printer on fire` → `printer on fire`). */
  readonly args: string;
  readonly message: SyncHookMessage;
  readonly user?: SyncHookUser;
  readonly channel?: SyncHookChannel;
  /** Set when the user pressed one of the message's buttons: `{ [action name]: value }`. */
  readonly form_data?: Readonly<Record<string, string>>;
  readonly request_info?: RequestInfo;
}

/** A message to show (ephemeral while interacting), an error text for the user, or null to drop it. */
export type CustomCommandResult =
  { readonly message: MessageChanges } | { readonly error: string } | null;

export interface PendingMessageInput {
  readonly message: SyncHookMessage;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly request_info?: RequestInfo;
}

export interface SyncHookContext {
  readonly logger: Logger;
  /** Aborted when the hook's time budget runs out: pass it to fetch and friends. */
  readonly signal: AbortSignal;
}

export type BeforeMessageSendHook = (
  input: BeforeMessageSendInput,
  context: SyncHookContext,
) => BeforeMessageSendResult | Promise<BeforeMessageSendResult>;

export type CustomCommandHook = (
  input: CustomCommandInput,
  context: SyncHookContext,
) => CustomCommandResult | Promise<CustomCommandResult>;

export type PendingMessageHook = (
  input: PendingMessageInput,
  context: SyncHookContext,
) => void | Promise<void>;

/** The user's synchronous hooks; any left out answers pass-through (or unknown command). */
export interface SyncHooks {
  readonly beforeMessageSend?: BeforeMessageSendHook;
  /** By command name, without the slash: `{ ticket: ... }` answers `/ticket`. */
  readonly customCommands?: Readonly<Record<string, CustomCommandHook>>;
  readonly pendingMessages?: {
    /** Stream called `{url}/PassOnPendingMessage`: the message is pending, commit it or not. */
    readonly onPass?: PendingMessageHook;
    /** Stream called `{url}/DeletedPendingMessage`: a pending message was deleted. */
    readonly onDeleted?: PendingMessageHook;
  };
}

/** Types the hooks in place, the way `defineHandlers` does for the consumer. */
export function defineSyncHooks(hooks: SyncHooks): SyncHooks {
  return hooks;
}

/** The body Stream reads from a hook's 200 answer. */
export type SyncHookResponseBody =
  Record<string, never> | { readonly message: MessageChanges | null };

/** Leave the message as the user wrote it. */
export const PASS_THROUGH: SyncHookResponseBody = {};

export function errorMessage(text: string): SyncHookResponseBody {
  return { message: { type: 'error', text } };
}

export class InvalidHookResult extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidHookResult';
  }
}

export function beforeMessageSendBody(result: BeforeMessageSendResult): SyncHookResponseBody {
  switch (result?.action) {
    case 'pass':
      return PASS_THROUGH;
    case 'rewrite':
      return { message: result.message };
    case 'reject':
      return errorMessage(result.text);
    default:
      throw new InvalidHookResult('beforeMessageSend must return pass, rewrite or reject');
  }
}

export function customCommandBody(result: CustomCommandResult): SyncHookResponseBody {
  if (result === null) return { message: null };
  if (typeof result === 'object' && 'error' in result && typeof result.error === 'string') {
    return errorMessage(result.error);
  }
  if (typeof result === 'object' && 'message' in result && isObject(result.message)) {
    return { message: result.message };
  }
  throw new InvalidHookResult('a custom command must return { message }, { error } or null');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
