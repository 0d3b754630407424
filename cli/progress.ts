/**
 * How commands show things on a terminal: tables, and the progress of a long wait.
 *
 * Progress goes on stderr so stdout keeps only the result (and `--json` stays one
 * document). On a terminal it is one line rewritten in place; anywhere else (a pipe, a CI log, a
 * test) it is one line per change, so a log shows each step once.
 */

/** Where progress goes: `process.stderr` in the CLI, a recorder in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  /** Set by Node on a terminal stream; absent on pipes, files and fakes. */
  readonly isTTY?: boolean;
}

export interface Progress {
  /** Shows `line` as the current state; an unchanged line is not written again. */
  update(line: string): void;
  /** Ends the progress display: on a terminal, keeps the last line and moves past it. */
  done(): void;
}

/** Erase the whole terminal line, back to column 1. */
const CLEAR_LINE = '\r\u001b[2K';

export function progressOn(stream: ProgressStream): Progress {
  const tty = stream.isTTY === true;
  let last: string | null = null;
  let open = false;
  return {
    update(line) {
      if (line === last) return;
      last = line;
      if (tty) {
        stream.write(`${CLEAR_LINE}${line}`);
        open = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (open) stream.write('\n');
      open = false;
      last = null;
    },
  };
}

/**
 * Rows as a plain-text table: columns padded to their widest cell, two spaces apart, numbers
 * (the columns listed in `right`) aligned right, no trailing spaces.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  return all
    .map((row) =>
      header
        .map((_, column) => {
          const cell = row[column] ?? '';
          const width = widths[column] ?? 0;
          return right.includes(column) ? cell.padStart(width) : cell.padEnd(width);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
