/**
 * The defaults of the stack's settings that more than one part needs: the stack deploys them, the
 * functions fall back on them, and the dev pipeline, the CLI, bench and the cost model assume them.
 * Durations are plain numbers here (the unit in the name); lib/ makes CDK Durations from them.
 */

/** Records per consumer invocation, for groups that set none (`batchSize`). */
export const DEFAULT_BATCH_SIZE = 10;

/** How long a consumer's event source gathers records (`maxBatchingWindow`); FIFO takes none. */
export const DEFAULT_MAX_BATCHING_WINDOW_SECONDS = 1;

/** The consumers' timeout (`consumerTimeout`); a queue's visibility timeout is 6 × this. */
export const DEFAULT_CONSUMER_TIMEOUT_SECONDS = 30;

/**
 * The most concurrent invocations a group's event source starts unless the group says otherwise.
 * Without a bound, a busy group scales up to the account's whole unreserved concurrency (1,000 by
 * default) and the verifier and hooks are throttled: API Gateway answers Stream 429, which Stream
 * retries only three times. Ten invocations of 10-record batches handle about 1,000 events/s at
 * 100 ms a batch; raise a group's `maxConcurrency` when it needs more.
 */
export const DEFAULT_CONSUMER_MAX_CONCURRENCY = 10;

/** The memory every function gets unless its props say otherwise, in MB. */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;

/** How long a completed claim keeps a redelivery from running again (`dedupeWindow`). */
export const DEFAULT_DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/** How many receives before a message moves to its DLQ (`maxReceiveCount`). */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** How long SQS keeps a message, in the queue and in its DLQ: the maximum SQS allows. */
export const QUEUE_RETENTION_DAYS = 14;

/** Stream waits 1.5 s by default for a synchronous hook, once: answer well inside that. */
export const DEFAULT_SYNC_HOOK_BUDGET_MS = 1000;

/** The hook function's timeout: the budget must stay below it, so the function still answers. */
export const SYNC_HOOK_TIMEOUT_MS = 3000;
