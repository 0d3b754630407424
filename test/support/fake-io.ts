import type { CommandIO } from '../../cli/command.js';

export interface FakeIO extends CommandIO {
  readonly out: () => string;
  readonly err: () => string;
  /** The questions `confirm` was asked. */
  readonly questions: string[];
}

/** A CommandIO for in-process command tests. */
export function fakeIO(
  options: {
    env?: Record<string, string | undefined>;
    interactive?: boolean;
    answer?: boolean;
  } = {},
): FakeIO {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  return {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: options.env ?? {},
    interactive: options.interactive ?? false,
    confirm: (question: string) => {
      questions.push(question);
      return Promise.resolve(options.answer ?? false);
    },
    out: () => out.join(''),
    err: () => err.join(''),
    questions,
  };
}

/** The same, as `{ io, stdout, stderr }` for tests that read the two streams by name. */
export function recordingIO(): { io: FakeIO; stdout: () => string; stderr: () => string } {
  const io = fakeIO();
  return { io, stdout: io.out, stderr: io.err };
}
