/**
 * A group's dev queue is `stream-events-<group>` and its DLQ `stream-events-<group>-dlq` (`.fifo`
 * after both with per-entity ordering). Kept apart so `npm run send -- --sqs` finds a queue by name
 * without loading the pipeline.
 */
export const QUEUE_NAME_PREFIX = 'stream-events-';

export function queueNameOf(group: string): string {
  return `${QUEUE_NAME_PREFIX}${group}`;
}
