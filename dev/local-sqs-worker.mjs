// The embedded SQS server's thread (dev/local-sqs.ts starts it). Plain JavaScript that imports
// only local-aws-sqs and Node, so it loads the same under tsx, vitest and a spawned `npm run dev`
// with no TypeScript loader in the worker.
//
// local-aws-sqs's own createSqsServer cannot report a port already in use (the error is thrown
// from an event nobody listens to and ends the process), so we build the same server from its
// request handler and listen ourselves, as dev/listen.ts does on the main thread.
import { createServer } from 'node:http';
import { workerData } from 'node:worker_threads';
import { createRequestHandler } from 'local-aws-sqs';
import { serveOnThread } from './thread-server.mjs';

/** @type {{ port: number; host: string; region: string }} */
const { port, host, region } = workerData;

const { service, requestHandler } = createRequestHandler({
  port,
  hostname: host,
  region,
  // Queue names are fixed and the server lives as long as the pipeline: no 60 s re-create wait.
  emulateQueueCreationLifecycle: false,
});
const server = createServer((req, res) => void requestHandler(req, res));

serveOnThread(server, port, host, (bound) => {
  // Queue URLs are built from this, as createSqsServer does once it knows the bound port.
  service.PORT = bound;
});
