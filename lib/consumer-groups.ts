import { Duration } from 'aws-cdk-lib';
import type { ConsumerGroupEntry, ConsumerGroupSettings } from '../contract/consumer-groups.js';

/**
 * A consumer group as the stack takes it: contract/consumer-groups.ts's settings (name, events,
 * entry, batch size, concurrency, memory), with its durations as CDK Durations.
 */
export interface ConsumerGroupProps
  extends ConsumerGroupEntry, Omit<ConsumerGroupSettings, 'maxBatchingWindow' | 'timeout'> {
  /** How long the event source gathers records. @default - the stack's `maxBatchingWindow` */
  readonly maxBatchingWindow?: Duration;
  /** The consumer's timeout; its queue's visibility timeout is 6 × this. @default - the stack's `consumerTimeout` */
  readonly timeout?: Duration;
}

/** A group from context (durations in seconds) as the stack's props take it. */
export function consumerGroupProps(settings: ConsumerGroupSettings): ConsumerGroupProps {
  const { maxBatchingWindow, timeout, ...rest } = settings;
  return {
    ...rest,
    maxBatchingWindow:
      maxBatchingWindow === undefined ? undefined : Duration.seconds(maxBatchingWindow),
    timeout: timeout === undefined ? undefined : Duration.seconds(timeout),
  };
}
