// Counts the modules a process loads, by package: ES modules through a `load` hook
// (`module.register`), CommonJS files through `Module.prototype._compile`; printed to stderr as
// the process exits. Used for bench/ANALYSIS.md's cold-start section, e.g. from bench/:
//   node --import ./countModules.mjs --input-type=module -e "await import('@splice/endpoint-runtime')"
import Module, { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const packageOf = (url) =>
  /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
  /packages\/([^/]+)\//.exec(url)?.[1] ??
  (url.startsWith('node:') ? 'node: built-ins' : url);

const esm = new Map();
const commonJs = new Map();
const add = (counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1);

const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => add(esm, packageOf(url)));
port1.unref();
register(
  `data:text/javascript,${encodeURIComponent(`
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`)}`,
  { data: { port: port2 }, transferList: [port2] },
);

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  add(commonJs, packageOf(filename));
  return compile.call(this, content, filename);
};

const list = (counts) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
const total = (counts) => [...counts.values()].reduce((a, b) => a + b, 0);
process.on('exit', () => {
  process.stderr.write(`ES modules loaded: ${total(esm)} (${list(esm)})\n`);
  process.stderr.write(`CommonJS files compiled: ${total(commonJs)} (${list(commonJs)})\n`);
});
