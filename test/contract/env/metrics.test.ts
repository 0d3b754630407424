import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METRIC_NAMESPACE,
  metricNamespace,
  metricNamespaceEnv,
  metricNamespaceFor,
} from '../../../contract/env/metrics.js';
import { PROPERTY } from './settings-arbitraries.js';

describe('the metric namespace variable', () => {
  it('reads back the namespace the stack writes', () => {
    const namespace = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_-]{0,200}$/);
    fc.assert(
      fc.property(namespace, (written) => {
        expect(metricNamespace(metricNamespaceEnv(written))).toBe(written);
      }),
      PROPERTY,
    );
  });

  it("writes the stack's own namespace under Powertools' variable", () => {
    expect(metricNamespaceEnv(metricNamespaceFor('prod'))).toEqual({
      POWERTOOLS_METRICS_NAMESPACE: 'StreamEvents/prod',
    });
  });

  it('falls back to the default namespace when nothing is written', () => {
    expect(metricNamespace({})).toBe(DEFAULT_METRIC_NAMESPACE);
  });
});
