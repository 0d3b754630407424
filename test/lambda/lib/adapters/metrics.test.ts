/**
 * The metrics sinks. `powertoolsMetrics` is run with the real Powertools Metrics and its output
 * captured from stdout, the way CloudWatch Logs reads it in Lambda.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../../lambda/lib/adapters/logger.js';
import {
  DEFAULT_METRIC_NAMESPACE,
  metricNamespace,
  metricNamespaceFor,
} from '../../../../contract/env/metrics.js';
import { loggedMetrics, powertoolsMetrics } from '../../../../lambda/lib/adapters/metrics.js';
import { silentMetrics } from '../../../../lambda/lib/domain/metrics.js';
import { captureLogs, type LogCapture } from '../../support/log-capture.js';

let logs: LogCapture;

beforeEach(() => {
  // As in `npm run dev` and the tests: no namespace from the stack.
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', undefined);
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
  vi.unstubAllEnvs();
});

/** The EMF document whose dimension set is exactly `names`. */
function documentWith(names: readonly string[]): Record<string, unknown> | undefined {
  return logs.lines().find((line) => {
    const aws = line._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] } | undefined;
    return JSON.stringify(aws?.CloudWatchMetrics[0]?.Dimensions) === JSON.stringify([names]);
  });
}

describe('powertoolsMetrics', () => {
  it('prints one EMF document per dimension set, with the totals of the invocation', () => {
    // Arrange
    const metrics = powertoolsMetrics('stream-events-consumer');

    // Act
    metrics.count('EventsHandled', { group: 'chat', family: 'video' });
    metrics.count('EventsHandled', { group: 'chat', family: 'video' });
    metrics.count('EventsFailed', { family: 'video', group: 'chat' });
    metrics.count('EventsHandled', { group: 'chat', family: 'chat' });
    metrics.flush();

    // Assert
    expect(logs.lines()).toHaveLength(2);
    expect(documentWith(['service', 'group', 'family'])).toBeDefined();
    const video = logs.lines().find((line) => line.family === 'video');
    expect(video).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'StreamEvents',
            Dimensions: [['service', 'group', 'family']],
            Metrics: [
              { Name: 'EventsHandled', Unit: 'Count' },
              { Name: 'EventsFailed', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'stream-events-consumer',
      group: 'chat',
      family: 'video',
      EventsHandled: 2,
      EventsFailed: 1,
    });
    expect(logs.lines().find((line) => line.family === 'chat')).toMatchObject({
      group: 'chat',
      EventsHandled: 1,
    });
    expect(DEFAULT_METRIC_NAMESPACE).toBe('StreamEvents');
  });

  it("counts in the namespace of POWERTOOLS_METRICS_NAMESPACE, the stack's own", () => {
    // Arrange
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'StreamEvents/Staging');
    const metrics = powertoolsMetrics('stream-events-verifier');

    // Act
    metrics.count('EventsReceived');
    metrics.flush();

    // Assert
    expect(documentWith(['service'])).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'StreamEvents/Staging' }] },
      EventsReceived: 1,
    });
  });

  it('dimensions a count without dimensions by service alone', () => {
    // Arrange
    const metrics = powertoolsMetrics('stream-events-verifier');

    // Act
    metrics.count('EventsReceived');
    metrics.count('EventsRejected', { reason: 'bad_signature' });
    metrics.flush();

    // Assert
    expect(documentWith(['service'])).toMatchObject({
      service: 'stream-events-verifier',
      EventsReceived: 1,
    });
    expect(documentWith(['service', 'reason'])).toMatchObject({
      reason: 'bad_signature',
      EventsRejected: 1,
    });
  });

  it('prints nothing, on stdout or stderr, when nothing was counted', () => {
    // Arrange
    const metrics = powertoolsMetrics('stream-events-verifier');

    // Act
    metrics.flush();

    // Assert: no EMF document and no "No application metrics to publish" warning.
    expect(logs.text()).toBe('');
  });

  it('starts every invocation from zero: a flush empties the totals and the dimensions', () => {
    // Arrange
    const metrics = powertoolsMetrics('stream-events-consumer');
    metrics.count('EventsHandled', { group: 'chat', family: 'chat' });
    metrics.flush();

    // Act
    metrics.count('EventsDuplicate', { group: 'chat', family: 'chat' });
    metrics.flush();

    // Assert
    const [, second] = logs.lines();
    expect(second).toMatchObject({ EventsDuplicate: 1 });
    expect(second).not.toHaveProperty('EventsHandled');
  });
});

describe('loggedMetrics (npm run dev)', () => {
  it('writes the totals as one debug line, and no EMF document', () => {
    // Arrange
    const logger = createLogger('stream-events-dev-test');
    logger.setLogLevel('DEBUG');
    const metrics = loggedMetrics(logger);

    // Act
    metrics.count('EventsReceived');
    metrics.count('EventsReceived');
    metrics.flush();
    metrics.flush();

    // Assert
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: 'DEBUG',
        msg: 'metrics',
        counts: [{ metric: 'EventsReceived', dimensions: {}, value: 2 }],
      }),
    ]);
    expect(logs.text()).not.toContain('_aws');
  });

  it('is silent at the default log level', () => {
    // Arrange
    const metrics = loggedMetrics(createLogger('stream-events-dev-test'));

    // Act
    metrics.count('EventsHandled', { group: 'all', family: 'chat' });
    metrics.flush();

    // Assert
    expect(logs.text()).toBe('');
  });
});

describe('silentMetrics', () => {
  it('prints nothing', () => {
    silentMetrics.count('EventsReceived');
    silentMetrics.flush();

    expect(logs.text()).toBe('');
  });
});

describe('metricNamespace', () => {
  it('is StreamEvents/<stack name> for a stack', () => {
    expect(metricNamespaceFor('StreamEvents-prod')).toBe('StreamEvents/StreamEvents-prod');
  });

  it('reads POWERTOOLS_METRICS_NAMESPACE, and falls back to StreamEvents when unset or blank', () => {
    expect(metricNamespace({ POWERTOOLS_METRICS_NAMESPACE: 'StreamEvents/Prod' })).toBe(
      'StreamEvents/Prod',
    );
    expect(metricNamespace({})).toBe('StreamEvents');
    expect(metricNamespace({ POWERTOOLS_METRICS_NAMESPACE: ' ' })).toBe('StreamEvents');
  });
});
