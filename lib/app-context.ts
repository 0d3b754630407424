import { Duration } from 'aws-cdk-lib';
import {
  definedOnly,
  settingsFromContext,
  type ContextReader,
  type StackSettings,
} from '../contract/context.js';
import type { AlarmOptions } from './alarms.js';
import { consumerGroupProps } from './consumer-groups.js';
import { streamEgressCidrs } from './source-allowlist.js';
import type { StreamEventsStackProps } from './stream-events-stack.js';

export type { ContextReader };

/** What bin/app.ts builds the stack from. */
export interface AppConfig {
  readonly stackName: string;
  readonly props: StreamEventsStackProps;
}

/**
 * The stack's name and props from CDK context: contract/context.ts reads and checks each key (its
 * doc lists them); here each setting becomes the stack prop of the same name, seconds and minutes
 * becoming Durations and `sourceIpAllowlist: true` Stream's published egress addresses.
 */
export function appConfigFromContext(get: ContextReader): AppConfig {
  const { stackName, settings } = settingsFromContext(get);
  return { stackName, props: stackProps(settings) };
}

/** The props for `settings`; what is not set is left out, so the stack's own defaults apply. */
export function stackProps(settings: StackSettings): StreamEventsStackProps {
  const { consumers, maxEventAge, sourceIpAllowlist, alarmEmail, alarms, ...plain } = settings;
  return definedOnly<StreamEventsStackProps>({
    ...plain,
    consumers: consumers?.map(consumerGroupProps),
    maxEventAge: maxEventAge === undefined ? undefined : Duration.seconds(maxEventAge),
    sourceIpAllowlist: sourceIpAllowlist === true ? streamEgressCidrs() : sourceIpAllowlist,
    alarms: alarmOptions(alarmEmail, alarms),
  });
}

/** `alarmEmail` and the `alarms` thresholds, together the stack's `alarms` prop. */
function alarmOptions(
  email: string | undefined,
  alarms: StackSettings['alarms'],
): AlarmOptions | undefined {
  if (alarms === undefined) return email === undefined ? undefined : { email };
  const { oldestMessageMinutes, badSignatures, serverErrors } = alarms;
  return {
    email,
    oldestMessageAge:
      oldestMessageMinutes === undefined ? undefined : Duration.minutes(oldestMessageMinutes),
    badSignatures,
    serverErrors,
  };
}
