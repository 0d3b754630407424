/**
 * Reads the pipeline's own JSON log lines while it runs in this process. The consumer decides
 * "duplicate" inside the claim and says so only in its `event duplicate` line (the user's handler
 * never runs for a duplicate), so counting those lines is how the soak learns the consumer's
 * decisions rather than inferring them.
 */
export interface LogTap {
  /** How many lines carried each `msg`, per group where the line names one. */
  count(msg: string, group?: string): number;
  /** Puts stdout and stderr back as they were. */
  restore(): void;
}

type Write = typeof process.stdout.write;

/**
 * Diverts process.stdout and process.stderr: JSON lines are counted by `msg` and `group`, and
 * the output is dropped unless `passThrough` (10,000 events make 10,000 log lines).
 */
export function tapLogLines(options: { readonly passThrough?: boolean } = {}): LogTap {
  const counts = new Map<string, number>();
  const bump = (key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  /** A line reader per stream, so stdout and stderr writes never splice into one line. */
  const lineReader = (): ((text: string) => void) => {
    let pending = '';
    return (text) => {
      pending += text;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        countLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    };
  };

  const countLine = (line: string): void => {
    if (!line.startsWith('{')) return;
    let parsed: { msg?: unknown; group?: unknown };
    try {
      parsed = JSON.parse(line) as { msg?: unknown; group?: unknown };
    } catch {
      return;
    }
    if (typeof parsed.msg !== 'string') return;
    bump(parsed.msg);
    if (typeof parsed.group === 'string') bump(`${parsed.msg}\u0000${parsed.group}`);
  };

  const divert = (stream: NodeJS.WriteStream, original: Write): Write => {
    const take = lineReader();
    return ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      take(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      if (options.passThrough)
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;
  };

  process.stdout.write = divert(process.stdout, originals.stdout);
  process.stderr.write = divert(process.stderr, originals.stderr);
  return {
    count: (msg, group) => counts.get(group === undefined ? msg : `${msg}\u0000${group}`) ?? 0,
    restore: () => {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
}
