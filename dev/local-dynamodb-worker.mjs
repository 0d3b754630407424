// The embedded DynamoDB server's thread (dev/local-dynamodb.ts starts it). Plain JavaScript that
// imports only dynalite and Node, so it loads the same under tsx, vitest and a spawned
// `npm run dev` with no TypeScript loader in the worker.
import { exit } from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

/** @type {{ port: number; host: string; options: Record<string, number> }} */
const { port, host, options } = workerData;

const server = dynalite(options);

// An Error loses its `code` crossing threads: send what the main thread rebuilds it from.
server.once('error', (error) => {
  parentPort?.postMessage({ type: 'error', message: error.message, code: error.code });
  exit(1);
});
server.listen(port, host, () => {
  server.removeAllListeners('error');
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  parentPort?.postMessage({ type: 'listening', port: bound });
});

// `close` from the main thread: stop accepting, drop every connection (keep-alive sockets), let
// dynalite close its in-memory store, then end the thread.
parentPort?.once('message', () => {
  server.close(() => exit(0));
  server.closeAllConnections();
});
