import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/command.js';
import { parseCostArgs, parseEventCount } from '../../../scripts/cost/args.js';
import { costCommand } from '../../../scripts/cost/command.js';
import type { StackSettings } from '../../../scripts/cost/model.js';
import type { CostReport } from '../../../scripts/cost/report.js';
import { recordingIO } from '../../support/fake-io.js';

const STACK: StackSettings = {
  verifierMemoryMb: 256,
  consumerMemoryMb: 256,
  batchSize: 10,
  groups: 1,
  fifo: false,
  alarms: 4,
  dashboards: 1,
};

async function run(argv: string[]) {
  const { io, stdout, stderr } = recordingIO();
  let synthesized = 0;
  const command = costCommand({
    stackSettings: () => {
      synthesized += 1;
      return STACK;
    },
  });
  const code = await command.run(argv, io);
  return { code, stdout: stdout(), stderr: stderr(), synthesized };
}

describe('--events-per-month', () => {
  it.each([
    ['1000000', 1e6],
    ['1e6', 1e6],
    ['1M', 1e6],
    ['100m', 1e8],
    ['1B', 1e9],
    ['2.5k', 2_500],
    ['1_000_000', 1e6],
    ['1,000,000', 1e6],
  ])('reads %s as %d events', (text, events) => {
    expect(parseEventCount(text)).toBe(events);
  });

  it.each(['', 'lots', '0', '-5', '1.5', '1e', 'M', '10Q', '1e400'])('rejects "%s"', (text) => {
    expect(() => parseEventCount(text)).toThrow(UsageError);
  });
});

describe('options', () => {
  it('reads every option', () => {
    expect(
      parseCostArgs([
        '--events-per-month',
        '1B',
        '--event-kb',
        '0.5',
        '--batch-size',
        '100',
        '--verifier-ms',
        '12',
        '--consumer-ms',
        '30',
        '--json',
      ]),
    ).toEqual({
      eventsPerMonth: 1e9,
      eventKb: 0.5,
      batchSize: 100,
      verifierMs: 12,
      consumerMs: 30,
      json: true,
    });
  });

  it.each([
    [['--event-kb', '0'], /--event-kb must be a number above 0 to 192, got "0"/],
    [['--event-kb', '193'], /--event-kb must be a number above 0 to 192/],
    [['--batch-size', '2.5'], /--batch-size must be a whole number from 1 to 10000, got "2.5"/],
    [['--batch-size', '10001'], /--batch-size must be a whole number/],
    [['--verifier-ms', 'fast'], /--verifier-ms must be a number/],
  ])('rejects %j', (extra, message) => {
    expect(() => parseCostArgs(['--events-per-month', '1M', ...extra])).toThrow(message);
  });
});

describe('npm run cost', () => {
  it('prints each path with its line items and total, and the assumptions', async () => {
    const { code, stdout } = await run(['--events-per-month', '1M']);

    expect(code).toBe(0);
    for (const path of ['webhook path', 'sqs path', 'sns path', 'Assumptions'])
      expect(stdout).toContain(path);
    expect(stdout).toMatch(/^ {2}total +\$\d+\.\d\d$/m);
    expect(stdout).toContain('verifier: 256 MB (the stack');
    expect(stdout).toContain('batch size 10');
    expect(stdout).toContain('free tiers ignored');
  });

  it('prints one JSON document with --json, batch size overridden', async () => {
    const { code, stdout } = await run([
      '--events-per-month',
      '100M',
      '--batch-size',
      '5',
      '--json',
    ]);
    const report = JSON.parse(stdout) as CostReport;

    expect(code).toBe(0);
    expect(report.paths.map((p) => p.path)).toEqual(['webhook', 'sqs', 'sns']);
    expect(report.stack.batchSize).toBe(5);
    expect(report.assumptions.eventsPerMonth).toBe(1e8);
    for (const path of report.paths) {
      expect(path.totalUsd).toBeCloseTo(
        path.items.reduce((sum, i) => sum + i.usd, 0),
        10,
      );
    }
  });

  it.each([
    [[], /--events-per-month is required/],
    [['--events-per-month', 'many'], /--events-per-month must be a whole number of events/],
    [['--events-per-month', '1M', '--regions', 'all'], /Unknown option '--regions'/],
  ])('exits 2 on %j with a clear message, before building the stack', async (argv, message) => {
    const { code, stdout, stderr, synthesized } = await run(argv);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('See: stream-events cost --help');
    expect(synthesized).toBe(0);
  });

  it('prints its help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run cost -- --events-per-month <n>');
  });
});
