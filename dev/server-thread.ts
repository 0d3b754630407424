import { Worker } from 'node:worker_threads';

/** A server listening on its own thread: a dev/*-worker.mjs file that reports as below. */
export interface ServerThread {
  readonly port: number;
  /** Closes the server and every connection it holds, then ends the thread. Idempotent. */
  close(): Promise<void>;
}

/** What a worker file posts once: its bound port, or why `listen` failed. */
interface WorkerReport {
  readonly type: 'listening' | 'error';
  readonly port?: number;
  readonly message?: string;
  readonly code?: string;
}

/** Resolves with the bound port once the worker listens; rejects as `listen` would (EADDRINUSE). */
function listening(worker: Worker, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (report: WorkerReport): void => {
      settle();
      if (report.type === 'listening' && report.port !== undefined) resolve(report.port);
      else reject(Object.assign(new Error(report.message), { code: report.code }));
    };
    const onError = (error: Error): void => {
      settle();
      reject(error);
    };
    const onExit = (code: number): void => {
      settle();
      reject(new Error(`the ${name}'s thread exited (code ${code}) before listening`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Starts `file` on its own thread, so the server's work on every request no longer shares the
 * event loop with the webhook, the verifier and the consumers. `name` says which server in errors.
 */
export async function startServerThread(
  file: URL,
  workerData: unknown,
  name: string,
): Promise<ServerThread> {
  const worker = new Worker(file, { workerData });
  const port = await listening(worker, name);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let closed: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closed ??= (async () => {
        // The worker closes its server, dropping open connections, then ends its thread.
        worker.postMessage('close');
        await exited;
      })()),
  };
}
