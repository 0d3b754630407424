// The loader side of print-loaded-modules.mjs: runs on Node's hooks thread, reports each URL.
let port;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  port.postMessage(url);
  return nextLoad(url, context);
}
