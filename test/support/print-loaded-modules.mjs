// `node --import ./test/support/print-loaded-modules.mjs app.js` prints `loaded: <url>` for every
// module the process imported (ESM, and CommonJS entered through import), once it is done: the
// proof that a command path loads no more than it should.
import { register } from 'node:module';
import process from 'node:process';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const loaded = [];
port1.on('message', (url) => loaded.push(url));
port1.unref();
register('./loaded-modules-hook.mjs', import.meta.url, {
  data: { port: port2 },
  transferList: [port2],
});
process.on('exit', () => {
  process.stdout.write(loaded.map((url) => `loaded: ${url}\n`).join(''));
});
