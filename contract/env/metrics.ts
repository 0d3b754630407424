/**
 * Which CloudWatch namespace the counts go to. Each stack writes its own into its functions, so
 * two stacks in one account and region (staging and prod) keep their counts, alarms and
 * dashboards apart. Shared by the Lambdas (lambda/lib/adapters/metrics.ts) and the stack (lib/), so the
 * alarms read the namespace the functions write.
 */

/** Powertools Metrics' own variable for the namespace; the stack sets it on each counting function. */
export const METRIC_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';

/** The namespace when the variable is unset: `npm run dev`, the tests, a hand-made function. */
export const DEFAULT_METRIC_NAMESPACE = 'StreamEvents';

/**
 * The namespace of the stack named `stackName`: `StreamEvents/<stack name>`. A stack name (letters,
 * digits, hyphens) is always a valid namespace suffix.
 */
export function metricNamespaceFor(stackName: string): string {
  return `${DEFAULT_METRIC_NAMESPACE}/${stackName}`;
}

/** The namespace `env` names, or the default when it names none. */
export function metricNamespace(env: Readonly<Record<string, string | undefined>>): string {
  const value = env[METRIC_NAMESPACE_ENV]?.trim();
  return value === undefined || value === '' ? DEFAULT_METRIC_NAMESPACE : value;
}
