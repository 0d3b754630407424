import { vi } from 'vitest';

/**
 * Captures what the real Powertools Logger prints. It writes through its own `Console` bound to
 * `process.stdout` / `process.stderr` (warn and error go to stderr), so the capture sits on the
 * streams' `write`, below any console patching.
 */
export interface LogCapture {
  /** Every line written, as text. */
  readonly text: () => string;
  /** Every JSON line, parsed; a line that is not JSON fails the test. */
  readonly lines: () => Record<string, unknown>[];
  readonly restore: () => void;
}

type Write = typeof process.stdout.write;

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const record = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as Write;
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(record);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(record);
  const text = (): string => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
}
