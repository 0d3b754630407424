// The embedded DynamoDB server's thread (dev/local-dynamodb.ts starts it). Plain JavaScript that
// imports only dynalite and Node, so it loads the same under tsx, vitest and a spawned
// `npm run dev` with no TypeScript loader in the worker.
import { workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { serveOnThread } from './thread-server.mjs';

/** @type {{ port: number; host: string; options: Record<string, number> }} */
const { port, host, options } = workerData;

const server = dynalite(options);

// dynalite closes its in-memory store when its server closes.
serveOnThread(server, port, host);
