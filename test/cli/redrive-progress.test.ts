/** The progress display redrive shows on stderr, and the tables status and events print. */
import { describe, expect, it } from 'vitest';
import { formatTable, progressOn } from '../../cli/progress.js';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written };
}

describe('progressOn', () => {
  it('rewrites one line in place on a terminal, and ends it once', () => {
    const { stream, written } = recorder(true);
    const progress = progressOn(stream);

    progress.update('redrive all: 0 of 3 moved (RUNNING)');
    progress.update('redrive all: 0 of 3 moved (RUNNING)');
    progress.update('redrive all: 3 of 3 moved (COMPLETED)');
    progress.done();
    progress.done();

    expect(written).toEqual([
      '\r\u001b[2Kredrive all: 0 of 3 moved (RUNNING)',
      '\r\u001b[2Kredrive all: 3 of 3 moved (COMPLETED)',
      '\n',
    ]);
  });

  it('writes a line per change elsewhere (pipes, CI logs), with no control characters', () => {
    const { stream, written } = recorder(false);
    const progress = progressOn(stream);

    progress.update('a');
    progress.update('a');
    progress.update('b');
    progress.done();

    expect(written).toEqual(['a\n', 'b\n']);
  });

  it('shows a line again after done (the next group starts afresh)', () => {
    const { stream, written } = recorder(false);
    const progress = progressOn(stream);

    progress.update('a');
    progress.done();
    progress.update('a');

    expect(written).toEqual(['a\n', 'a\n']);
  });
});

describe('formatTable', () => {
  it('pads columns, aligns the number columns right and leaves no trailing spaces', () => {
    expect(
      formatTable(
        ['GROUP', 'QUEUED', 'NOTE'],
        [
          ['all', '12', ''],
          ['chat-messages', '3', 'x'],
        ],
        [1],
      ),
    ).toBe(
      ['GROUP          QUEUED  NOTE', 'all                12', 'chat-messages       3  x'].join(
        '\n',
      ),
    );
  });
});
