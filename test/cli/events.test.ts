/**
 * `stream-events events`: the catalog routed through the group table read from cdk.json, as
 * the stack reads it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsCommand, type EventsReport } from '../../cli/events.js';
import { ALL_EVENT_TYPES } from '../../lambda/lib/domain/event-catalog.js';
import { recordingIO } from '../support/fake-io.js';

let noCdkJson: string;
let grouped: string;
let broken: string;

async function repoWith(cdkJson: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'events-test-'));
  if (cdkJson !== undefined) {
    await writeFile(
      join(dir, 'cdk.json'),
      typeof cdkJson === 'string' ? cdkJson : JSON.stringify(cdkJson),
    );
  }
  return dir;
}

beforeAll(async () => {
  noCdkJson = await repoWith(undefined);
  grouped = await repoWith({
    app: 'npx tsx bin/app.ts',
    context: {
      consumers: [
        { name: 'messages', events: ['message.*'] },
        { name: 'moderation', events: ['moderation.*', 'message.flagged'] },
        { name: 'typos', events: ['mesage.new'] },
      ],
    },
  });
  broken = await repoWith({ context: { consumers: [{ name: 'x', events: ['bad*'] }] } });
});

afterAll(async () => {
  await Promise.all([noCdkJson, grouped, broken].map((dir) => rm(dir, { recursive: true })));
});

describe('events with the default group table', () => {
  it('lists every catalog type by family, all of them going to group "all"', async () => {
    const { io, stdout } = recordingIO();

    const code = await createEventsCommand({ repoRoot: noCdkJson }).run([], io);

    expect(code).toBe(0);
    const lines = stdout().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Consumer groups (cdk.json):',
      '  all: *',
      '',
      expect.stringMatching(/^FAMILY +TYPE +GROUPS$/),
    ]);
    expect(stdout()).toMatch(/^chat +message\.new +all$/m);
    expect(stdout()).toMatch(/^video +call\.session_started +all$/m);
    expect(stdout()).toMatch(/^moderation +message\.flagged +all$/m);
    expect(lines.filter((line) => / all$/.test(line))).toHaveLength(ALL_EVENT_TYPES.length);
    expect(stdout()).toContain(`\n${ALL_EVENT_TYPES.length} event types\n`);
  });
});

describe('events with groups in cdk.json', () => {
  it('gives each type the groups whose patterns take it, in --json', async () => {
    const { io, stdout } = recordingIO();

    const code = await createEventsCommand({ repoRoot: grouped }).run(['--json'], io);

    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as EventsReport;
    expect(report.groups).toEqual([
      { name: 'messages', patterns: ['message.*'] },
      { name: 'moderation', patterns: ['moderation.*', 'message.flagged'] },
      { name: 'typos', patterns: ['mesage.new'] },
    ]);
    const groupsOf = (type: string) => report.events.find((row) => row.type === type);
    expect(groupsOf('message.new')).toEqual({
      family: 'chat',
      type: 'message.new',
      groups: ['messages'],
    });
    expect(groupsOf('message.flagged')).toEqual({
      family: 'moderation',
      type: 'message.flagged',
      groups: ['messages', 'moderation'],
    });
    expect(groupsOf('reaction.new')?.groups).toEqual([]);
    expect(report.events).toHaveLength(ALL_EVENT_TYPES.length);
    expect(report.unmatchedPatterns).toEqual([{ group: 'typos', pattern: 'mesage.new' }]);
  });

  it('marks types no group takes and patterns that match nothing in the table', async () => {
    const { io, stdout } = recordingIO();

    await createEventsCommand({ repoRoot: grouped }).run([], io);

    expect(stdout()).toMatch(/^chat +reaction\.new +-$/m);
    expect(stdout()).toMatch(/^moderation +message\.flagged +messages, moderation$/m);
    expect(stdout()).toMatch(/; \d+ reach no group \(acknowledged and dropped\)\n/);
    expect(stdout()).toContain(
      'note: group "typos": "mesage.new" matches no catalog type (a typo, or a custom type)\n',
    );
  });

  it('lists only one group’s types with --group', async () => {
    const { io, stdout } = recordingIO();

    const code = await createEventsCommand({ repoRoot: grouped }).run(
      ['--group', 'messages', '--json'],
      io,
    );

    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as EventsReport;
    expect(report.groups).toEqual([{ name: 'messages', patterns: ['message.*'] }]);
    // In catalog order (by family): message.flagged is moderation's.
    expect(report.events.map((row) => row.type).sort()).toEqual(
      ALL_EVENT_TYPES.filter((type) => type.startsWith('message.')).sort(),
    );
  });

  it('fails with exit 1 and the list of groups for an unknown group', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await createEventsCommand({ repoRoot: grouped }).run(['--group', 'chat'], io);

    expect(code).toBe(1);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(
      'stream-events events: no consumer group "chat" in cdk.json; groups: messages, moderation, typos\n',
    );
  });

  it('names the mistake in a broken table', async () => {
    const { io, stdout } = recordingIO();

    const code = await createEventsCommand({ repoRoot: broken }).run(['--json'], io);

    expect(code).toBe(1);
    expect(JSON.parse(stdout())).toEqual({
      error: expect.stringMatching(
        /^cdk\.json: consumer group "x": "bad\*" is not an event pattern/,
      ),
    });
  });

  it('refuses positional arguments (exit 2)', async () => {
    const { io, stderr } = recordingIO();

    const code = await createEventsCommand({ repoRoot: grouped }).run(['message.new'], io);

    expect(code).toBe(2);
    expect(stderr()).toContain('See: stream-events events --help');
  });
});
