import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type JsonLine = Record<string, unknown>;

export interface JsonChild {
  readonly process: ChildProcess;
  /** The first JSON line on stdout with this `msg` (or the one already seen). */
  waitFor(msg: string, timeoutMs?: number): Promise<JsonLine>;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/**
 * A child that speaks JSON lines on stdout, as `npm run dev` does. Only lines whose `msg` is
 * awaited are kept; the rest (one log line per request) are read and dropped, so the pipe never
 * fills. stderr is kept to explain a failure.
 */
export function spawnJsonChild(
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    readonly wanted: readonly string[];
  },
): JsonChild {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const seen = new Map<string, JsonLine>();
  const waiters = new Map<string, (line: JsonLine) => void>();
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (text) => {
    const msg = options.wanted.find((wanted) => text.includes(`"msg":"${wanted}"`));
    if (msg === undefined) return;
    const line = JSON.parse(text) as JsonLine;
    seen.set(msg, line);
    waiters.get(msg)?.(line);
  });
  // 'close', not 'exit': by then stdout is drained, so a last line printed on the way out is seen.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));

  return {
    process: child,
    waitFor: (msg, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const already = seen.get(msg);
        if (already !== undefined) {
          resolve(already);
          return;
        }
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" in ${timeoutMs} ms: ${stderr}`)),
          timeoutMs,
        );
        waiters.set(msg, (line) => {
          clearTimeout(timer);
          resolve(line);
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the child exited (${code}) before "${msg}": ${stderr}`));
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
