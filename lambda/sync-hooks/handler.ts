import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { deliveryRequestFrom } from '../lib/adapters/api-gateway-request.js';
import type { Claims } from '../lib/domain/claims.js';
import { dedupeKey } from '../lib/domain/dedupe-key.js';
import {
  verifyDelivery,
  webhookIdOf,
  type VerifiedDelivery,
  type VerifyDeps,
} from '../lib/domain/delivery.js';
import { ClaimFailed, ClaimInProgress, DeliveryRejected } from '../lib/domain/errors.js';
import { DEFAULT_SYNC_HOOK_BUDGET_MS } from '../../contract/defaults.js';
import { rejectedResponse } from '../lib/adapters/http-response.js';
import type { Logger } from '../lib/adapters/logger.js';
import { assertSourceAllowed, type SourceAllowed } from '../lib/domain/source-ip.js';
import type { JsonObject } from '../lib/domain/stream-event.js';
import {
  PASS_THROUGH,
  beforeMessageSendBody,
  customCommandBody,
  errorMessage,
  isObject,
  type SyncHookChannel,
  type SyncHookContext,
  type SyncHookMessage,
  type SyncHookUser,
  type RequestInfo,
  type SyncHookResponseBody,
  type PendingMessageHook,
  type SyncHooks,
} from '../lib/domain/sync-hooks.js';

export const COMMAND_TIMED_OUT = 'The command timed out, try again';
export const COMMAND_FAILED = 'The command failed, try again';

export interface SyncHookHandlerDeps extends VerifyDeps {
  readonly logger: Logger;
  /** The user's code (lambda/handlers/sync-hooks.ts). */
  readonly hooks: SyncHooks;
  /** How long the user's code may take before the hook answers fail-open. @default 1000 */
  readonly budgetMs?: number;
  /** The source-IP allowlist, checked before anything else. @default - none: any source */
  readonly sourceAllowed?: SourceAllowed;
  /**
   * Runs each pending-message callback's code once per signed body (its effects are commits), in
   * the shared idempotency table. @default null - every call runs it (tests without a table)
   */
  readonly claims?: Claims | null;
}

/** The Lambda context is needed when `claims` are set: a claim expires with its invocation. */
export type SyncHookHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export type SyncHookName =
  | 'before-message-send'
  | 'custom-commands'
  | 'pending-messages/PassOnPendingMessage'
  | 'pending-messages/DeletedPendingMessage';

const ROUTES: ReadonlyMap<string, SyncHookName> = new Map(
  (
    [
      'before-message-send',
      'custom-commands',
      'pending-messages/PassOnPendingMessage',
      'pending-messages/DeletedPendingMessage',
    ] as const
  ).map((hook) => [`POST /hooks/${hook}`, hook]),
);

const JSON_HEADERS = { 'content-type': 'application/json' };

function ok(body: SyncHookResponseBody): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

const NOT_FOUND: APIGatewayProxyStructuredResultV2 = {
  statusCode: 404,
  headers: JSON_HEADERS,
  body: JSON.stringify({ error: 'not_found', message: 'no hook at this path' }),
};

/** The route, without the stage prefix a named (non-`$default`) stage puts in the path. */
function hookOf(event: APIGatewayProxyEventV2): SyncHookName | undefined {
  const { http, stage } = event.requestContext;
  let path = http.path;
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) {
    path = path.slice(stage.length + 1);
  }
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return ROUTES.get(`${http.method.toUpperCase()} ${path}`);
}

function messageOf(json: JsonObject): SyncHookMessage {
  if (!isObject(json.message)) {
    throw new DeliveryRejected(400, 'missing_message', 'body has no "message" object');
  }
  return json.message as SyncHookMessage;
}

function optionalObject<T>(value: unknown): T | undefined {
  return isObject(value) ? (value as T) : undefined;
}

type Run<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly why: 'budget' | 'error' };

type PendingHook = Extract<SyncHookName, `pending-messages/${string}`>;

/** Thrown inside a claim when the user code threw (already logged), so the claim is released. */
class PendingHookFailed extends Error {
  constructor() {
    super('the pending-message callback threw');
    this.name = 'PendingHookFailed';
  }
}

/**
 * The Stream-facing edge of the synchronous hooks: verifies the request exactly as the webhook
 * path does (`verifyDelivery`), calls the user's code with a typed input, and answers within
 * the budget. When the user's code is late or throws, it answers as Stream would act anyway
 * (fail-open): the message passes unchanged, a command shows an error, a pending callback is
 * acknowledged.
 */
export function createSyncHookHandler(deps: SyncHookHandlerDeps): SyncHookHandler {
  const budgetMs = deps.budgetMs ?? DEFAULT_SYNC_HOOK_BUDGET_MS;
  const { logger, hooks } = deps;

  /**
   * Runs user code against the budget; `done: false` when it ran out or threw (either is logged).
   * The budget is a timer raced against the user's promise, so it bounds only time spent
   * awaiting: synchronous code blocks the event loop, the timer cannot fire until it returns,
   * and then its result wins the race. Such code must bound its own work.
   */
  async function run<T>(
    hook: SyncHookName,
    call: (context: SyncHookContext) => T | Promise<T>,
  ): Promise<Run<T>> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), budgetMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve()
          .then(() => call({ logger, signal: controller.signal }))
          .then((value) => ({ value })),
        expired,
      ]);
      if (outcome === 'expired') {
        controller.abort();
        logger.warn('hook budget exceeded', {
          hook,
          budget_ms: budgetMs,
          elapsed_ms: Math.round(performance.now() - started),
        });
        return { done: false, why: 'budget' };
      }
      return { done: true, value: outcome.value };
    } catch (error) {
      controller.abort();
      logger.error('hook failed', {
        hook,
        error_name: error instanceof Error ? error.name : typeof error,
        elapsed_ms: Math.round(performance.now() - started),
      });
      return { done: false, why: 'error' };
    } finally {
      clearTimeout(timer);
    }
  }

  async function beforeMessageSend(json: JsonObject): Promise<SyncHookResponseBody> {
    const input = {
      message: messageOf(json),
      user: optionalObject<SyncHookUser>(json.user),
      channel: optionalObject<SyncHookChannel>(json.channel),
      request_info: optionalObject<RequestInfo>(json.request_info),
    };
    const user = hooks.beforeMessageSend;
    if (!user) return PASS_THROUGH;
    const result = await run('before-message-send', async (context) =>
      beforeMessageSendBody(await user(input, context)),
    );
    return result.done ? result.value : PASS_THROUGH;
  }

  async function customCommand(
    json: JsonObject,
    event: APIGatewayProxyEventV2,
  ): Promise<SyncHookResponseBody> {
    const message = messageOf(json);
    // The body is signed, the query string is not: the body's command wins.
    const command =
      (typeof message.command === 'string' && message.command) ||
      event.queryStringParameters?.type ||
      '';
    if (command === '') {
      throw new DeliveryRejected(400, 'missing_command', 'no message.command and no ?type=');
    }
    const user = Object.hasOwn(hooks.customCommands ?? {}, command)
      ? hooks.customCommands?.[command]
      : undefined;
    if (!user) {
      logger.warn('unknown command', { hook: 'custom-commands', command });
      return errorMessage(`Unknown command /${command}`);
    }
    const input = {
      command,
      args: typeof message.args === 'string' ? message.args : '',
      message,
      user: optionalObject<SyncHookUser>(json.user),
      channel: optionalObject<SyncHookChannel>(json.channel),
      form_data: optionalObject<Record<string, string>>(json.form_data),
      request_info: optionalObject<RequestInfo>(json.request_info),
    };
    const result = await run('custom-commands', async (context) =>
      customCommandBody(await user(input, context)),
    );
    if (result.done) return result.value;
    return errorMessage(result.why === 'budget' ? COMMAND_TIMED_OUT : COMMAND_FAILED);
  }

  /**
   * A pending-message callback. With claims, its code runs once per signed body: the key is the
   * callback's name and the SHA-256 of the (inflated) body, never the unsigned X-Webhook-Id, so a
   * replay under any id answers `{}` without running it. Every outcome answers 200 `{}`, as a
   * failing callback always has: code that throws (the claim is released, so a later delivery
   * runs it), code past the budget (the claim is kept: the code may still finish, and must not
   * run twice), a claim another call holds, and a claim store that fails (nothing runs).
   */
  async function pendingMessage(
    hook: PendingHook,
    user: PendingMessageHook | undefined,
    verified: VerifiedDelivery,
    lambdaContext: Context | undefined,
  ): Promise<SyncHookResponseBody> {
    const { json } = verified;
    const input = {
      message: messageOf(json),
      metadata: optionalObject<Record<string, string>>(json.metadata),
      request_info: optionalObject<RequestInfo>(json.request_info),
    };
    if (!user) return PASS_THROUGH;
    const runUser = async (): Promise<void> => {
      const result = await run(hook, (context) => user(input, context));
      if (!result.done && result.why === 'error') throw new PendingHookFailed();
    };
    const claims = deps.claims ?? null;
    if (claims === null) {
      await runUser().catch(() => undefined);
      return PASS_THROUGH;
    }
    if (lambdaContext === undefined) {
      throw new Error('a claimed pending-message callback needs the Lambda context');
    }
    const fields = { hook, webhook_id: verified.webhookId };
    const callback = hook.slice(hook.indexOf('/') + 1);
    try {
      const outcome = await claims.once(
        `${callback}:${dedupeKey(verified.bytes)}`,
        runUser,
        lambdaContext,
      );
      if (outcome === 'duplicate') logger.info('hook duplicate', fields);
    } catch (error) {
      if (error instanceof ClaimInProgress) logger.warn('hook in progress', fields);
      else if (error instanceof ClaimFailed) logger.error('claim failed', { ...fields, error });
      else if (!(error instanceof PendingHookFailed)) throw error;
    }
    return PASS_THROUGH;
  }

  return async (event, lambdaContext) => {
    const hook = hookOf(event);
    if (hook === undefined) return NOT_FOUND;
    const request = deliveryRequestFrom(event);
    try {
      assertSourceAllowed(event.requestContext.http.sourceIp, deps.sourceAllowed);
      const verified = await verifyDelivery(request, deps);
      const { json } = verified;
      switch (hook) {
        case 'before-message-send':
          return ok(await beforeMessageSend(json));
        case 'custom-commands':
          return ok(await customCommand(json, event));
        case 'pending-messages/PassOnPendingMessage':
          return ok(
            await pendingMessage(hook, hooks.pendingMessages?.onPass, verified, lambdaContext),
          );
        case 'pending-messages/DeletedPendingMessage':
          return ok(
            await pendingMessage(hook, hooks.pendingMessages?.onDeleted, verified, lambdaContext),
          );
      }
    } catch (error) {
      const rejection =
        error instanceof DeliveryRejected
          ? error
          : new DeliveryRejected(500, 'internal_error', 'unexpected error');
      const log = rejection.status >= 500 ? logger.error : logger.warn;
      log.call(logger, 'hook rejected', {
        hook,
        status: rejection.status,
        reason: rejection.reason,
        detail: rejection.message,
        webhook_id: webhookIdOf(request.headers),
        ...(error instanceof DeliveryRejected ? {} : { error_name: errorName(error) }),
      });
      return rejectedResponse(rejection);
    }
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
