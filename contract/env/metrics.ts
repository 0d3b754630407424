/**
 * Which CloudWatch namespace the counts go to. Each stack writes its own into its counting
 * functions (lib/stream-events-stack.ts, through `metricNamespaceEnv`), so two stacks in one
 * account and region (staging and prod) keep their counts, alarms and dashboards apart; the
 * Lambdas read it (lambda/lib/adapters/metrics.ts) and the alarms use the same namespace.
 */
import { DEFAULT_STACK_NAME } from '../names.js';
import type { Env } from './parse.js';

/** Powertools Metrics' own variable for the namespace; the stack sets it on each counting function. */
export const METRIC_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';

/** The namespace when the variable is unset: `npm run dev`, the tests, a hand-made function. */
export const DEFAULT_METRIC_NAMESPACE = DEFAULT_STACK_NAME;

/**
 * The namespace of the stack named `stackName`: `StreamEvents/<stack name>`. A stack name (letters,
 * digits, hyphens) is always a valid namespace suffix.
 */
export function metricNamespaceFor(stackName: string): string {
  return `${DEFAULT_METRIC_NAMESPACE}/${stackName}`;
}

/** The variable that makes a function count in `namespace`. */
export function metricNamespaceEnv(namespace: string): Record<string, string> {
  return { [METRIC_NAMESPACE_ENV]: namespace };
}

/** The namespace `env` names, or the default when it names none. */
export function metricNamespace(env: Env): string {
  const value = env[METRIC_NAMESPACE_ENV]?.trim();
  return value === undefined || value === '' ? DEFAULT_METRIC_NAMESPACE : value;
}
