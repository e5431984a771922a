// The package's CommonJS entry run as CommonJS test runners run it (Jest by default): each file
// in a vm script with no dynamic import callback, where import() throws. Every part the SDK loads
// on first use must load there too: a token refresh, a raw call, a page walk and a redirect, each
// against a stub fetch. Prints what each gave, or the error. Usage: node vm-require.cjs <entry.cjs>
const vm = require('node:vm'), path = require('node:path'), fs = require('node:fs'), Module = require('node:module');
const cache = new Map();
function load(file) {
  if (cache.has(file)) return cache.get(file).exports;
  const module = { exports: {} };
  cache.set(file, module);
  const run = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file }).runInThisContext();
  const real = Module.createRequire(file);
  const own = (id) => id.startsWith('.') || id.startsWith('@coveton/sdk');
  run.call(module.exports, module.exports, (id) => (own(id) ? load(real.resolve(id)) : real(id)), module, file, path.dirname(file));
  return module.exports;
}
// Resolved as the consumer's own code would: from a file in its folder. (require.resolve with
// `paths` first tries this script's own package, the repository, whose name is @coveton/sdk.)
const { createCoveton } = load(Module.createRequire(path.join(process.cwd(), 'consumer.cjs')).resolve(process.argv[2]));
const key = { id: 'key_1', name: 'CI' };
const fetch = async (request) => {
  const url = new URL(request.url);
  const auth = request.headers.get('authorization');
  const reply = (status, body, headers = {}) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  if (url.pathname.endsWith('/auth/refresh')) return reply(200, { accessToken: 'at_2', refreshToken: 'rt_2', expiresIn: 900 });
  if (auth === 'Bearer at_1') return reply(401, { error: { code: 'UNAUTHORIZED', message: 'expired', reason: 'token_expired' } });
  if (url.pathname.endsWith('/api-keys/old')) return reply(302, undefined, { location: '/v1/api-keys/key_1' });
  if (url.pathname.endsWith('/api-keys')) return reply(200, [key]);
  return reply(200, key);
};
(async () => {
  const coveton = createCoveton({ baseUrl: 'https://api.example.test/v1', accessToken: 'at_1', refreshToken: 'rt_2x', maxRetries: 0, fetch, logLevel: 'off' });
  const refreshed = (await coveton.apiKeys.get('key_1')).id;
  const raw = (await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } })).data.id;
  const walked = [];
  for await (const k of coveton.apiKeys.list()) walked.push(k.id);
  const redirected = (await coveton.apiKeys.get('old')).id;
  console.log(JSON.stringify({ refreshed, raw, walked, redirected }));
})().catch((error) => { console.log(JSON.stringify({ error: `${error.name}: ${error.message}`, cause: String(error.cause?.code ?? error.cause) })); });
