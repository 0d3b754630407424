// The worker-thread side of dev/server-thread.ts, shared by the embedded servers' threads. Plain
// JavaScript, importing only Node, for the reason the worker files give.
import { exit } from 'node:process';
import { parentPort } from 'node:worker_threads';

/**
 * Listens on `port` (0 = any free one), reports `{type:'listening', port}` or the listen error to
 * the main thread, then calls `onBound(port)`; a `close` message from the main thread stops
 * accepting, drops every connection (keep-alive sockets, long polls) and ends the thread, so no
 * server timer keeps it alive.
 *
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @param {(port: number) => void} [onBound]
 */
export function serveOnThread(server, port, host, onBound) {
  // An Error loses its `code` crossing threads: send what the main thread rebuilds it from.
  server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    parentPort?.postMessage({ type: 'error', message: error.message, code: error.code });
    exit(1);
  });
  server.listen(port, host, () => {
    server.removeAllListeners('error');
    const address = server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    onBound?.(bound);
    parentPort?.postMessage({ type: 'listening', port: bound });
  });
  parentPort?.once('message', () => {
    server.close(() => exit(0));
    server.closeAllConnections();
  });
}
